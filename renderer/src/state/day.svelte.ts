import type { ClosedDay, DayCheckProgress, DayReport, ExportFile, ExportFormat } from '../../../shared/day';
import type { AppError } from '../../../shared/result';
import type { SaleEvent } from '../../../shared/sale-events';
import { api } from '../api';
import { addDays } from '../lib/days';

/**
 * The end-of-day screen: one business day's report (today's at first), checking it with
 * DropPay (progress pushed by main), closing it, exporting and printing it, and the closed days.
 * The report is reloaded whenever something lands in the journal while the screen is open.
 */
export class DayState {
  /** The business day shown; empty until the first report says which day today is. */
  day = $state('');
  /** Today's business day by the journal's zone and cut-off (from the first report). */
  today = $state('');
  report = $state<DayReport | null>(null);
  loading = $state(false);
  error = $state<AppError | null>(null);

  progress = $state<DayCheckProgress | null>(null);
  checking = $state(false);
  checkError = $state<AppError | null>(null);

  closing = $state(false);
  closeError = $state<AppError | null>(null);
  /** True right after this window closed the shown day (for the confirmation notice). */
  justClosed = $state(false);

  exporting = $state<ExportFormat | null>(null);
  exportError = $state<AppError | null>(null);

  closures = $state<ClosedDay[]>([]);
  closuresError = $state<AppError | null>(null);
  /** The closed days' CSV being written, and why the last one failed. */
  exportingClosures = $state<'csv' | 'csv-semicolon' | null>(null);
  closuresExportError = $state<AppError | null>(null);

  /** Called after a check: it may have recorded outcomes the other screens show. */
  onChecked: () => void = () => undefined;

  #generation = 0;
  #reloadTimer: ReturnType<typeof setTimeout> | null = null;
  #open = false;

  /**
   * The screen opened: the day chosen earlier, or today's report. A day that was today when
   * chosen gives way to today as it is now: the business day may have turned since, or its
   * rule been changed in the settings.
   */
  async open(): Promise<void> {
    this.#open = true;
    const chosen = this.day !== '' && this.day !== this.today ? this.day : undefined;
    await Promise.all([this.load(chosen), this.loadClosures()]);
  }

  /** The screen closed: stop following the journal. */
  leave(): void {
    this.#open = false;
    if (this.#reloadTimer) clearTimeout(this.#reloadTimer);
    this.#reloadTimer = null;
  }

  async load(day?: string, verify?: 'full'): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    const result = await api.dayReport({ ...(day ? { day } : {}), ...(verify ? { verify } : {}) });
    if (generation !== this.#generation) return; // another day was chosen meanwhile
    this.loading = false;
    if (result.ok) {
      this.report = result.value;
      this.day = result.value.day;
      if (!day) this.today = result.value.day;
      this.error = null;
    } else {
      this.error = result.error;
    }
  }

  /** Shows another day (from the date picker, the arrows or the closed days). */
  async show(day: string): Promise<void> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return;
    this.justClosed = false;
    this.closeError = null;
    this.checkError = null;
    this.exportError = null;
    this.day = day;
    await this.load(day);
  }

  /** The day before or after the one shown (calendar days, as business days are named). */
  async step(days: -1 | 1): Promise<void> {
    const next = addDays(this.day, days);
    if (days > 0 && this.today && next > this.today) return;
    await this.show(next);
  }

  async verifyAll(): Promise<void> {
    await this.load(this.day, 'full');
  }

  async check(recheck = false): Promise<void> {
    const day = this.day;
    this.checking = true;
    this.checkError = null;
    this.progress = { day, done: 0, total: 0, skipped: 0, errors: 0, running: true };
    const result = await api.dayCheck({ day, ...(recheck ? { recheck: true } : {}) });
    this.checking = false;
    if (!result.ok) this.checkError = result.error;
    // Refused before it began (no DropPay, a closed day), no last progress event comes: the bar
    // must not stay on "starting" beside the error.
    if (this.progress?.day === day && this.progress.running) {
      this.progress = result.ok ? { ...this.progress, running: false } : null;
    }
    this.onChecked();
    if (this.day === day) await this.load(day);
  }

  async close(forceReason?: string): Promise<boolean> {
    const day = this.day;
    this.closing = true;
    this.closeError = null;
    const result = await api.dayClose({ day, ...(forceReason ? { forceReason } : {}) });
    this.closing = false;
    if (!result.ok) {
      this.closeError = result.error;
      // The day may have changed under us (someone else closed it, an outcome is now unknown).
      await this.load(day);
      return false;
    }
    if (this.day === day) {
      this.report = result.value;
      this.justClosed = true;
    }
    await this.loadClosures();
    return true;
  }

  /** Asks main for the file and hands it to the browser's download (Electron: a save dialog). */
  async exportAs(format: ExportFormat, lang: 'it' | 'en'): Promise<void> {
    this.exporting = format;
    this.exportError = null;
    const result = await api.dayExport({ day: this.day, format, lang });
    this.exporting = null;
    if (result.ok) save(result.value);
    else this.exportError = result.error;
  }

  /** Every closed day as CSV (oldest first, with a total), for the accountant. */
  async exportClosures(format: 'csv' | 'csv-semicolon', lang: 'it' | 'en'): Promise<void> {
    this.exportingClosures = format;
    this.closuresExportError = null;
    const result = await api.dayExportClosures({ format, lang });
    this.exportingClosures = null;
    if (result.ok) save(result.value);
    else this.closuresExportError = result.error;
  }

  async loadClosures(): Promise<void> {
    const result = await api.dayClosures();
    if (result.ok) {
      this.closures = result.value;
      this.closuresError = null;
    } else {
      this.closuresError = result.error;
    }
  }

  onProgress(progress: DayCheckProgress): void {
    if (progress.day === this.day) this.progress = progress;
  }

  /**
   * Reads the shown day and the closed days again, for changes no event announces: a day closed
   * from the command line (another process) while this screen was open.
   */
  refresh(): void {
    if (!this.#open || !this.day || this.checking || this.closing) return;
    void Promise.all([this.load(this.day), this.loadClosures()]);
  }

  /**
   * A sale changed: the report on screen is out of date; reload once things calm down. A closed
   * day's too: what changed after its closing is what the owner watches there.
   */
  onSaleEvent(_event: SaleEvent): void {
    if (!this.#open || !this.day) return;
    if (this.#reloadTimer) clearTimeout(this.#reloadTimer);
    this.#reloadTimer = setTimeout(() => {
      this.#reloadTimer = null;
      if (this.#open && !this.checking && !this.closing) void this.load(this.day);
    }, 400);
  }
}

function save(file: ExportFile): void {
  const bytes =
    file.encoding === 'base64' ? Uint8Array.from(atob(file.content), (c) => c.charCodeAt(0)) : file.content;
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
