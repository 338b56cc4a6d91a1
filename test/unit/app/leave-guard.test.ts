import { describe, expect, it } from 'vitest';
import { leaveQuestion } from '../../../electron/main/app/leave-guard';

describe('leaveQuestion', () => {
  it('counts the sales, in Italian and English, keeping the till open by default', () => {
    expect(leaveQuestion('it', 1)).toMatchObject({
      message: 'Una vendita è in corso.',
      stay: 'Tieni aperta la cassa',
    });
    expect(leaveQuestion('it', 3).message).toBe('3 vendite sono in corso.');
    expect(leaveQuestion('en', 1)).toMatchObject({
      message: 'A sale is in progress.',
      stay: 'Keep the till open',
      leave: 'Close anyway',
    });
    expect(leaveQuestion('en', 2).message).toBe('2 sales are in progress.');
    expect(leaveQuestion('en', 2).detail).toMatch(/nothing is charged twice/);
  });
});
