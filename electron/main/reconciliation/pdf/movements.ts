/**
 * The report's list of movements: one line per charge and refund of the day, in time order,
 * from the same lines the CSV prints (day-lines.ts): time in the shop's zone, sale reference,
 * kind, description, status and amount in the reader's words, and under a refund the reason
 * the cashier wrote. A busy day runs over many pages: each repeats the heading and the column
 * header, and the footer numbers them with the rest of the report.
 *
 * On the day the clocks change the same local time comes twice (02:30 in summer time, then
 * 02:30 again in winter time): then each time carries its UTC offset ("02:30:00 +01:00"), so
 * the list still says which came first. Any other day the zone in the report's header is enough.
 *
 * A refund's reason is printed whole, wrapped under its line: it is what justifies money
 * leaving the till, the paper is what the accountant files, and at most 512 characters it
 * takes a few lines. A movement and its reason are kept on one page.
 */
import { formatOffset, localTimeFormatter, offsetMinutes } from '../day-window';
import type { ItemTuple } from '../queries';
import { charsPerLine, MARGIN, wrapLines, type Flow } from './flow';
import { formatMoney, inWords, type Labels, type Lang } from './labels';
import { monoWidth } from './writer';

const SIZE = 7.5;
const LINE = SIZE + 3;
const GAP = '  ';
/** A status the labels do not know is printed as written, up to this many characters. */
const MAX_STATUS = 22;

const LOCAL = /^\d{4}-\d\d-\d\d (\d\d:\d\d:\d\d)$/;

/** Text from outside the till as one line the writer can encode: composed accents, no controls. */
function oneLine(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\p{Cc}\s]+/gu, ' ')
    .trim();
}

const length = (text: string): number => [...text].length;

/** `text` in exactly `width` characters: cut with an ellipsis, or padded with spaces. */
function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const chars = [...text];
  if (chars.length > width) return `${chars.slice(0, Math.max(width - 1, 0)).join('')}…`;
  return align === 'left' ? text.padEnd(width + text.length - chars.length) : text.padStart(width);
}

interface Movement {
  time: string;
  /** The stored time, when it names no real instant (a damaged journal): printed as it is. */
  storedTime: string | null;
  ref: string;
  kind: string;
  description: string;
  status: string;
  amount: string;
  reason: string | null;
}

/** Each line's UTC offset ("+02:00"), null where its stored time names no real instant. */
function offsetsOf(lines: readonly ItemTuple[], timeZone: string): (string | null)[] {
  // Zones change their offset on a quarter hour at the finest: one lookup per quarter.
  const quarters = new Map<number, string>();
  return lines.map(([, , , , , , , , createdAt]) => {
    const at = Date.parse(createdAt);
    if (Number.isNaN(at)) return null;
    const quarter = Math.floor(at / 900_000);
    let offset = quarters.get(quarter);
    if (offset === undefined) {
      offset = formatOffset(offsetMinutes(at, timeZone));
      quarters.set(quarter, offset);
    }
    return offset;
  });
}

function movementsOf(lines: readonly ItemTuple[], timeZone: string, l: Labels, lang: Lang): Movement[] {
  const local = localTimeFormatter(timeZone);
  const offsets = offsetsOf(lines, timeZone);
  const clocksChange = new Set(offsets.filter((o) => o !== null)).size > 1;
  return lines.map(([kind, , , ref, , , status, amount, createdAt, description, reason], i) => {
    const time = LOCAL.exec(local(createdAt))?.[1] ?? null;
    const why = reason === null ? '' : oneLine(reason);
    const offset = offsets[i];
    return {
      time: time === null ? '--:--:--' : clocksChange && offset ? `${time} ${offset}` : time,
      storedTime: time === null ? createdAt : null,
      ref,
      kind: l.itemKinds[kind],
      description: oneLine(description),
      status: inWords(l.statuses, status),
      // A refund takes money out: shown negative, as the CSV's net effect has it.
      amount: formatMoney(kind === 'refund' ? -amount : amount, lang),
      reason: kind === 'refund' && why !== '' ? why : null,
    };
  });
}

/** The lines under a movement: its stored time when not a real one, then a refund's reason. */
function subLines(m: Movement, l: Labels, perLine: number): string[] {
  const out: string[] = [];
  if (m.storedTime !== null) out.push(...wrapLines(`${l.storedTime}: ${m.storedTime}`, perLine));
  if (m.reason !== null) out.push(...wrapLines(`${l.reason}: ${m.reason}`, perLine));
  return out;
}

/** The movements section, after the rest of the report. */
export function movements(
  f: Flow,
  lines: readonly ItemTuple[],
  timeZone: string,
  l: Labels,
  lang: Lang,
): void {
  if (lines.length === 0) {
    f.heading(l.movements);
    f.row(l.noMovements, 8);
    return;
  }
  const list = movementsOf(lines, timeZone, l, lang);
  const c = l.columns;
  const widest = (header: string, values: Iterable<string>, cap = Infinity): number => {
    let w = length(header);
    for (const v of values) w = Math.max(w, length(v));
    return Math.min(w, cap);
  };
  const timeW = widest(
    c.time,
    list.map((m) => m.time),
  );
  const refW = widest(
    c.ref,
    list.map((m) => m.ref),
  );
  const kindW = widest(c.kind, [l.itemKinds.charge, l.itemKinds.refund]);
  const statusW = widest(c.status, new Set(list.map((m) => m.status)), MAX_STATUS);
  const amountW = widest(
    c.amount,
    list.map((m) => m.amount),
  );
  const total = charsPerLine(SIZE);
  // The description takes what the other columns leave (about 40 characters on A4).
  const descW = Math.max(total - timeW - refW - kindW - statusW - amountW - 5 * GAP.length, 8);
  const row = (m: Omit<Movement, 'storedTime' | 'reason'>): string =>
    [
      fit(m.time, timeW),
      fit(m.ref, refW),
      fit(m.kind, kindW),
      fit(m.description, descW),
      fit(m.status, statusW),
      fit(m.amount, amountW, 'right'),
    ].join(GAP);
  // Reasons and stored times are indented under the sale's reference.
  const indent = timeW + GAP.length;
  const indentX = MARGIN + monoWidth(' '.repeat(indent), SIZE);
  const perLine = total - indent;

  const top = (title: string): void => {
    f.heading(title);
    const header = row({
      time: c.time,
      ref: c.ref,
      kind: c.kind,
      description: c.description,
      status: c.status,
      amount: c.amount,
    });
    f.page.text(MARGIN, f.y, header, 'monoBold', SIZE);
    f.y -= LINE;
  };
  // The heading, the column header and a first line together, never a heading alone at a page's foot.
  f.need(40 + 3 * LINE);
  top(`${l.movements}: ${list.length}`);
  const repeat = (): void => {
    f.onNewPage = null;
    top(l.movementsMore);
    f.onNewPage = repeat;
  };
  f.onNewPage = repeat;
  try {
    for (const m of list) {
      const under = subLines(m, l, perLine);
      f.need((1 + under.length) * LINE);
      f.page.text(MARGIN, f.y, row(m), 'mono', SIZE);
      f.y -= LINE;
      for (const text of under) {
        f.page.text(indentX, f.y, text, 'mono', SIZE);
        f.y -= LINE;
      }
    }
  } finally {
    f.onNewPage = null;
  }
}
