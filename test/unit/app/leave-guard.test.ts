import { describe, expect, it } from 'vitest';
import { leaveQuestion, questionBox, unsavedQuestion } from '../../../electron/main/app/leave-guard';

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

describe('unsavedQuestion', () => {
  it('says settings would be lost, in Italian and English, staying by default', () => {
    expect(unsavedQuestion('it')).toMatchObject({
      message: 'Alcune impostazioni non sono salvate.',
      stay: 'Resta',
      leave: 'Esci senza salvare',
    });
    expect(unsavedQuestion('en')).toMatchObject({
      message: 'Some settings are not saved.',
      stay: 'Stay',
      leave: 'Leave without saving',
    });
    expect(unsavedQuestion('en').detail).toMatch(/loses what was typed/);
    // Asked in a box whose default and Escape answer is to stay.
    expect(questionBox(unsavedQuestion('it'))).toMatchObject({
      buttons: ['Resta', 'Esci senza salvare'],
      defaultId: 0,
      cancelId: 0,
    });
  });
});
