import { describe, expect, it } from 'vitest';
import { adjustmentLines, stepInWords, type AdjustmentStep } from '../../../shared/adjustment-lines';

let seq = 0;
function step(
  over: Partial<AdjustmentStep> & Pick<AdjustmentStep, 'itemId' | 'from' | 'to'>,
): AdjustmentStep {
  seq += 1;
  return {
    itemKind: 'charge',
    carriedBy: '2026-10-26',
    seq,
    at: `2026-10-25T21:00:${String(seq).padStart(2, '0')}.000Z`,
    chargedDeltaCents: 0,
    refundedDeltaCents: 0,
    netDeltaCents: 0,
    amountCents: 500,
    ...over,
  };
}

describe('adjustment lines', () => {
  it('merge the steps of one row: first from, last to, deltas summed, where the row first appears', () => {
    const sent = step({ itemId: 'CHT1', from: null, to: 'intent' });
    const other = step({
      itemKind: 'refund',
      itemId: 'RFD1',
      from: 'ENQUEUED',
      to: 'FAILED',
      refundedDeltaCents: -300,
      netDeltaCents: 300,
    });
    const done = step({
      itemId: 'CHT1',
      from: 'intent',
      to: 'DONE',
      chargedDeltaCents: 500,
      netDeltaCents: 500,
    });
    expect(adjustmentLines([sent, other, done])).toEqual([
      { ...sent, to: 'DONE', seq: done.seq, at: done.at, chargedDeltaCents: 500, netDeltaCents: 500 },
      other,
    ]);
  });

  it('keep apart a charge and a refund of the same id, and steps carried by different reports', () => {
    const a = step({ itemId: 'X1', from: null, to: 'intent' });
    const b = step({ itemKind: 'refund', itemId: 'X1', from: null, to: 'intent' });
    const c = step({ itemId: 'X1', from: 'intent', to: 'DONE', carriedBy: '2026-10-27', netDeltaCents: 100 });
    expect(adjustmentLines([a, b, c])).toEqual([a, b, c]);
  });

  it('keep a row that ends where it began, with its zero, and leave the input as it was', () => {
    const steps = [
      step({ itemId: 'CHT2', from: 'unknown', to: 'DONE', chargedDeltaCents: 700, netDeltaCents: 700 }),
      step({ itemId: 'CHT2', from: 'DONE', to: 'unknown', chargedDeltaCents: -700, netDeltaCents: -700 }),
    ];
    const copy = structuredClone(steps);
    const [line] = adjustmentLines(steps);
    expect(line).toMatchObject({ from: 'unknown', to: 'unknown', chargedDeltaCents: 0, netDeltaCents: 0 });
    expect(steps).toEqual(copy);
    expect(adjustmentLines([])).toEqual([]);
  });

  it('are told in words, the status now first: added after closing, or what it was', () => {
    const word = (status: string): string =>
      ({ DONE: 'completed', unknown: 'outcome unknown' })[status] ?? status;
    const w = { added: 'added after closing', was: 'was' };
    expect(stepInWords(null, 'DONE', word, w)).toBe('added after closing: completed');
    expect(stepInWords('unknown', 'DONE', word, w)).toBe('completed (was outcome unknown)');
    expect(stepInWords('DONE', 'FAILED', word, w)).toBe('FAILED (was completed)');
  });
});
