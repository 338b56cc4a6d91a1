/**
 * How a list of adjustments (what reached a closed day after its close) is read: one line per
 * charge or refund. Each step of a row is an adjustment of its own in the report, so a sale
 * charged after the close is two: "new → sending, 0,00 €", then "sending → done, 5,00 €".
 * A reader wants the row as it moved, in words: "added after closing: completed, 5,00 €".
 * Plain TypeScript (no zod), for the renderer, the printed report and the CSV alike.
 */

/** What merging needs of an adjustment (the report's and shared/day.ts's both fit). */
export interface AdjustmentStep {
  itemKind: 'charge' | 'refund';
  itemId: string;
  /** The report that carries the step: steps carried by different reports stay apart. */
  carriedBy: string;
  seq: number;
  at: string;
  from: string | null;
  to: string;
  chargedDeltaCents: number;
  refundedDeltaCents: number;
  netDeltaCents: number;
  /** The row's amount after the step. */
  amountCents: number;
}

/**
 * The statuses whose money is neither taken nor given back yet, nor refused: sent with no
 * answer, accepted and in progress, or in doubt. A line in one of them changes nothing yet
 * (0,00 €), and says the amount at stake beside it, not to hide what may still move.
 */
export const OPEN_STATUSES: ReadonlySet<string> = new Set(['intent', 'pending', 'ENQUEUED', 'unknown']);

/**
 * The steps of each row carried by the same report as one line, where the row first appears:
 * the first step's `from`, the last one's `to`, `seq` and `at`, the deltas summed. A row that
 * ends where it began (a refund sent and then failed, say) still shows, with its zero.
 */
export function adjustmentLines<T extends AdjustmentStep>(steps: readonly T[]): T[] {
  const lines = new Map<string, T>();
  for (const step of steps) {
    const key = `${step.carriedBy}\u0000${step.itemKind}\u0000${step.itemId}`;
    const line = lines.get(key);
    lines.set(
      key,
      line === undefined
        ? step
        : {
            ...line,
            to: step.to,
            seq: step.seq,
            at: step.at,
            amountCents: step.amountCents,
            chargedDeltaCents: line.chargedDeltaCents + step.chargedDeltaCents,
            refundedDeltaCents: line.refundedDeltaCents + step.refundedDeltaCents,
            netDeltaCents: line.netDeltaCents + step.netDeltaCents,
          },
    );
  }
  return [...lines.values()];
}

/** The words a line's move is told in, in the reader's language. */
export interface StepWords {
  /** A row that did not exist at the close: "added after closing". */
  added: string;
  /** Before the status it had at the close: "was". */
  was: string;
}

/**
 * A line's move in words, the status it has now first: "added after closing: completed" for a
 * row that did not exist at the close, "completed (was outcome unknown)" for one that changed.
 * An accountant read "new → completed" as jargon (QA C31); `word` says a status in words.
 */
export function stepInWords(
  from: string | null,
  to: string,
  word: (status: string) => string,
  w: StepWords,
): string {
  return from === null ? `${w.added}: ${word(to)}` : `${word(to)} (${w.was} ${word(from)})`;
}
