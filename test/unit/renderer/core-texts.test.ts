import { describe, expect, it } from 'vitest';
import {
  DROPPAY_ERROR_MESSAGES,
  JOURNAL_PATTERNS,
  JOURNAL_TEXTS,
  parseCoreText,
  waitingNote,
} from '../../../shared/core-texts';
import { DropPayError } from '../../../electron/main/droppay/index';
import { droppayErrorText } from '../../../electron/main/payments/errors';
import { coreText } from '../../../renderer/src/i18n/details';

describe('the core’s texts from the journal, on screen', () => {
  it('recognises every note and error the flows write, and words each in Italian', () => {
    for (const [key, text] of Object.entries(JOURNAL_TEXTS)) {
      expect(parseCoreText(text), key).toEqual({ kind: 'journal', key });
      expect(coreText('en', text), key).toBe(text);
      expect(coreText('it', text), key).not.toBe(text);
    }
    expect(coreText('it', JOURNAL_TEXTS.cancelledBeforeLink)).toBe(
      'Annullata dal cassiere prima che comparisse il link di pagamento.',
    );
  });

  it('recognises the texts with values in them, and words them with the same values', () => {
    const rose = JOURNAL_PATTERNS.successCountRose.write(0, 1);
    expect(parseCoreText(rose)).toEqual({
      kind: 'pattern',
      name: 'successCountRose',
      params: { from: '0', to: '1' },
    });
    expect(coreText('it', rose)).toBe(
      'il numero di addebiti su DropPay è passato da 0 a 1: addebitato; il codice DropPay si trova alla chiusura',
    );
    expect(coreText('en', rose)).toBe(rose);
    expect(coreText('it', JOURNAL_PATTERNS.successCountStill.write(3))).toBe(
      'riletto da DropPay: numero di addebiti ancora 3',
    );
    expect(coreText('it', JOURNAL_PATTERNS.otherRefund.write('RFD7XK2'))).toBe(
      'Non rimborsato: l’addebito ha già il rimborso RFD7XK2 di un altro importo.',
    );
  });

  it('words the day check’s notes in Italian, the day as the screens say it', () => {
    const cases: [string, string, Record<string, string>, string][] = [
      [
        JOURNAL_PATTERNS.settledAtCheck.write('2026-12-06'),
        'settledAtCheck',
        { day: '2026-12-06' },
        'definito dalla verifica del 6 dic 2026',
      ],
      [
        JOURNAL_PATTERNS.placedAtCheck.write('2026-12-06'),
        'placedAtCheck',
        { day: '2026-12-06' },
        'registrato dalla verifica del 6 dic 2026',
      ],
      [
        JOURNAL_PATTERNS.successCountAtCheck.write('2026-12-06', 2, 1),
        'successCountAtCheck',
        { day: '2026-12-06', count: '2', known: '1' },
        'verifica del 6 dic 2026: addebiti riusciti su DropPay 2, già noti alla cassa 1',
      ],
      [
        JOURNAL_PATTERNS.idFoundAtCheck.write('2026-12-06'),
        'idFoundAtCheck',
        { day: '2026-12-06' },
        'codice DropPay trovato sull’autorizzazione alla verifica del 6 dic 2026',
      ],
      [
        JOURNAL_PATTERNS.foundAtCheck.write('2026-12-06'),
        'foundAtCheck',
        { day: '2026-12-06' },
        'trovato sull’autorizzazione alla verifica del 6 dic 2026',
      ],
    ];
    for (const [text, name, params, italian] of cases) {
      expect(parseCoreText(text), text).toEqual({ kind: 'pattern', name, params });
      expect(coreText('it', text)).toBe(italian);
      expect(coreText('en', text)).toBe(text);
    }
    // The English record of QA E1: a refund found by reading its charge back.
    expect(coreText('it', 'found by reading the charge back')).toBe('trovato rileggendo l’addebito');
  });

  it('words the wait before a read-back is proof, with its seconds', () => {
    const note = waitingNote('refund', 42);
    expect(parseCoreText(note)).toEqual({ kind: 'waiting', what: 'refund', seconds: 42 });
    expect(coreText('it', note)).toBe(
      'DropPay non mostra ancora il rimborso, ma la richiesta può ancora arrivare: nuova verifica tra 42 s.',
    );
    expect(coreText('en', note)).toBe(note);
  });

  it('words the client’s text for DropPay’s answer, as the payments layer writes it, keeping DropPay’s words', () => {
    const bare = droppayErrorText(new DropPayError('NETWORK'));
    expect(bare).toBe(DROPPAY_ERROR_MESSAGES.NETWORK);
    expect(coreText('it', bare)).toBe('DropPay non è raggiungibile: controlla la connessione a internet.');
    const refused = droppayErrorText(
      new DropPayError('CHARGE_NOT_ALLOWED', { status: 403, description: 'authorization is REFUSED' }),
    );
    expect(parseCoreText(refused)).toEqual({
      kind: 'droppay',
      error: 'CHARGE_NOT_ALLOWED',
      description: 'authorization is REFUSED',
    });
    expect(coreText('it', refused)).toBe(
      'Il pagamento non si può addebitare: non è approvato o non lo consente. (DropPay: authorization is REFUSED)',
    );
  });

  it('shows any other text as it was written', () => {
    for (const text of ['charge_success_count went from 0 to 1: charged', 'Nota a mano', '']) {
      expect(parseCoreText(text)).toBeNull();
      expect(coreText('it', text)).toBe(text);
    }
  });
});
