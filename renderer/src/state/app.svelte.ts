import { createContext } from 'svelte';
import type { SaleView } from '../../../shared/sales';
import type { Language, SettingsView } from '../../../shared/settings';
import { api, onEventsConnected, onEventsLost } from '../api';
import { I18n } from '../i18n/i18n.svelte';
import { translate } from '../i18n/translate';
import { CustomerLanguageState } from './customer-language.svelte';
import { DayState } from './day.svelte';
import { Drafts } from './drafts.svelte';
import { HistoryState } from './history.svelte';
import { PendingState } from './pending.svelte';
import { PreauthState } from './preauth.svelte';
import { SaleFlow } from './sale-flow.svelte';
import { SettingsState } from './settings.svelte';
import { StatusState } from './status.svelte';

export type Screen = 'sale' | 'history' | 'preauth' | 'day' | 'settings';

/** Everything the cashier window knows, created once and shared with every screen by context. */
export class CashierApp {
  readonly i18n = new I18n();
  readonly status = new StatusState();
  readonly settings = new SettingsState();
  readonly pending = new PendingState();
  readonly sale = new SaleFlow(() => this.settings.view?.confirmFromCents ?? 0);
  readonly history = new HistoryState();
  readonly preauth = new PreauthState();
  readonly day = new DayState();
  readonly customerLanguage = new CustomerLanguageState();
  /** The settings' forms with edits not saved: leaving them asks first. */
  readonly drafts = new Drafts();
  screen = $state<Screen>('sale');
  /** False until the first settings answer: the app shows a loading state, not a guess. */
  ready = $state(false);
  languageError = $state(false);
  /**
   * The sale in progress reached its result while the cashier was on another screen (the
   * customer paid while they looked at the history): the Sale tab says so until it is opened.
   */
  saleNews = $state<SaleView | null>(null);
  /** No sale can start while DropPay's credentials are missing or refused. */
  salesBlocked = $derived(
    this.status.status?.connection === 'not_configured' ||
      this.status.status?.connection === 'reconnect_needed',
  );

  #unsubscribe: (() => void)[] = [];

  constructor() {
    // A check with DropPay may settle unknown outcomes or record a capture made elsewhere.
    this.day.onChecked = () => void Promise.all([this.pending.load(), this.preauth.load()]);
    // Sale times follow a new zone at once, as the business day and the report do.
    this.settings.onSaved = (view) => {
      this.i18n.timeZone = view.timeZone;
    };
    this.status.onEnvironmentChanged = () => this.environmentChanged();
    this.sale.onSettled = (sale) => {
      if (this.screen !== 'sale') this.saleNews = sale;
    };
  }

  async start(): Promise<void> {
    this.#unsubscribe.push(
      api.on('sale', (event) => {
        this.sale.onSaleEvent(event);
        this.history.onSaleEvent(event);
        this.preauth.onSaleEvent(event);
        this.pending.onSaleEvent(event);
        this.day.onSaleEvent(event);
      }),
      api.on('day', (progress) => this.day.onProgress(progress)),
      api.on('status', (status) => this.status.update(status)),
      this.customerLanguage.follow(),
      // Browser mode: the event stream (re)connected, after a drop or a restarted core. What it
      // carried meanwhile is lost, so every view that follows events reads again (on the first
      // connect too, which costs one more read of each and also covers loads that failed).
      onEventsConnected(() => {
        this.status.coreLost = false;
        this.resync();
      }),
      onEventsLost(() => {
        this.status.coreLost = true;
      }),
    );
    const settings = await this.settings.load();
    if (settings.ok) this.applyLanguage(settings.value);
    this.ready = true;
    await Promise.all([
      this.status.load(),
      this.pending.load(),
      this.preauth.load(),
      this.sale.restore(),
      this.customerLanguage.load(),
    ]);
    // Then confirm the connection with DropPay (token + merchant identity).
    await this.status.check();
  }

  stop(): void {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    this.pending.stop();
    this.sale.stop();
    this.settings.stop();
  }

  /**
   * The description a sale gets when the cashier types none: DropPay shows it to the payer, so
   * in the customer display's language (a tourist's choice, or its setting), not the till's.
   */
  get defaultDescription(): string {
    return translate(this.customerLanguage.language ?? this.i18n.locale, 'sale.defaultDescription');
  }

  /** Switches the UI at once, then saves the choice. */
  async setLanguage(language: Language): Promise<void> {
    this.i18n.locale = language;
    const result = await this.settings.update({ language });
    this.languageError = !result.ok;
  }

  /**
   * A tab pressed: its screen. The history's tab pressed on a sale's detail goes back to the
   * list, as tabs do and as ← does (same filters and loaded pages, the sale's row focused).
   * Not go() itself: a banner opening a sale calls go('history') first, on a detail too.
   */
  openTab(screen: Screen): void {
    this.leaving(screen, () => {
      if (screen === 'history' && this.history.selected) {
        // A tab opens the list, not the sale last seen there (sales went on meanwhile).
        this.history.close();
        if (this.screen === 'history') return;
      }
      this.show(screen);
    });
  }

  /** Another screen; `then` runs once it is there (a banner opening a sale on the history). */
  go(screen: Screen, then?: () => void): void {
    this.leaving(screen, () => {
      this.show(screen);
      then?.();
    });
  }

  /** Leaving the settings with edits not saved waits for the cashier's answer (save, discard, stay). */
  private leaving(screen: Screen, move: () => void): void {
    if (this.screen === 'settings' && screen !== 'settings') this.drafts.leave(move);
    else move();
  }

  private show(screen: Screen): void {
    this.screen = screen;
    if (screen === 'sale') this.saleNews = null;
    if (screen === 'history') void this.history.load();
    if (screen === 'preauth') void this.preauth.load();
  }

  /**
   * Another DropPay, another journal: a practice sale's result must not stay on the sale screen
   * under the Production badge (nor its news, its detail, its banner or its deposits).
   */
  private environmentChanged(): void {
    this.sale.reset();
    this.saleNews = null;
    if (this.history.selected) this.history.close();
    this.resync();
  }

  private resync(): void {
    void this.status.load();
    void this.pending.load();
    void this.preauth.load();
    void this.sale.refresh();
    void this.sale.restore();
    void this.customerLanguage.load();
    if (this.screen === 'history') void this.history.load();
    if (this.screen === 'day') this.day.refresh();
  }

  private applyLanguage(view: SettingsView): void {
    this.i18n.locale = view.language;
    // Sale times read in the shop's zone, like the business day and the end-of-day report.
    this.i18n.timeZone = view.timeZone;
  }
}

export const [getApp, setApp] = createContext<CashierApp>();
