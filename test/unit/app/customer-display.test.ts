import { describe, expect, it } from 'vitest';
import { createCustomerDisplay } from '../../../electron/main/app/customer-display';
import {
  PROCESSING_MS,
  RESULT_MS,
  THANKS_MS,
  UNCONFIRMED_MS,
  type DisplayTimers,
} from '../../../electron/main/app/customer-display-contract';
import { DisplayStateSchema, type DisplayState } from '../../../shared/display';
import type { SaleView } from '../../../shared/sales';
import type { SaleState } from '../../../shared/sale-states';
import type { SaleEvent } from '../../../shared/sale-events';

/** Timers on a clock the test moves by hand. */
function manualTimers(): DisplayTimers & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let next = 1;
  const queue = new Map<number, { at: number; fn: () => void }>();
  return {
    set(fn, ms) {
      const id = next++;
      queue.set(id, { at: now + ms, fn });
      return id;
    },
    clear(handle) {
      queue.delete(handle as number);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...queue.entries()]
          .filter(([, t]) => t.at <= until)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        queue.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = until;
    },
    pending: () => queue.size,
  };
}

function sale(id: string, state: SaleState, extra: Partial<SaleView> = {}): SaleView {
  return {
    id,
    merchantRef: `S-${id}`,
    amount: 1250,
    description: 'Caffè e cornetto',
    policy: 'CHARGEABLE',
    state,
    authorizationId: state === 'created' ? null : `A-${id}`,
    authorizationStatus: null,
    sharingUrl: state === 'created' || state === 'authorizing' ? null : `https://pay.example/${id}`,
    waitingExpiresAt: '2026-05-04T10:05:00.000Z',
    captureBy: null,
    businessDay: '2026-05-04',
    createdAt: '2026-05-04T10:00:00.000Z',
    updatedAt: '2026-05-04T10:00:00.000Z',
    lastError: null,
    charged: 0,
    refunded: 0,
    refundable: 0,
    charges: [],
    ...extra,
  };
}

const updated = (s: SaleView): SaleEvent => ({ type: 'sale.updated', sale: s });

/** A sale the cashier just started, now waiting for the payer with its QR. */
function waiting(display: { handle(event: SaleEvent): void }, id: string): void {
  display.handle(updated(sale(id, 'authorizing')));
  display.handle(updated(sale(id, 'waiting')));
}

function setup() {
  const timers = manualTimers();
  const states: DisplayState[] = [];
  const display = createCustomerDisplay({
    identity: { language: 'it', merchantName: 'Bar Sandbox', storeName: 'Centro' },
    timers,
    onChange: (s) => states.push(DisplayStateSchema.parse(s)),
  });
  const modes = (): string[] => states.map((s) => s.mode);
  return { timers, states, display, modes };
}

describe('customer display state machine', () => {
  it('starts idle with the merchant and store', () => {
    const { display } = setup();
    expect(display.state()).toEqual({
      mode: 'idle',
      language: 'it',
      merchantName: 'Bar Sandbox',
      storeName: 'Centro',
    });
  });

  it('says a pre-authorization’s amount is a hold, also when its QR comes on a sharing event', () => {
    const { display } = setup();
    display.handle(updated(sale('1', 'created', { policy: 'BOOKED' })));
    display.handle({
      type: 'sale.sharing',
      saleId: '1',
      amount: 1250,
      sharingUrl: 'https://pay.example/1',
      waitingExpiresAt: '2026-05-04T10:05:00.000Z',
    });
    expect(display.state()).toMatchObject({ mode: 'pay', saleId: '1', reserve: true });
    display.handle(updated(sale('1', 'waiting', { policy: 'BOOKED' })));
    expect(display.state()).toMatchObject({ mode: 'pay', reserve: true });
  });

  it('goes idle → pay → processing → result (4 s) → thanks (3 s) → idle for an approved sale', () => {
    const { display, timers, states, modes } = setup();
    display.handle(updated(sale('1', 'created')));
    display.handle(updated(sale('1', 'authorizing')));
    display.handle(updated(sale('1', 'waiting')));
    expect(display.state()).toMatchObject({
      mode: 'pay',
      saleId: '1',
      amount: 1250,
      description: 'Caffè e cornetto',
      reserve: false,
      sharingUrl: 'https://pay.example/1',
      waitingExpiresAt: '2026-05-04T10:05:00.000Z',
    });
    // Approved in the app: the QR goes, the customer sees the payment going through.
    display.handle(updated(sale('1', 'granted')));
    expect(display.state()).toMatchObject({ mode: 'processing', saleId: '1', amount: 1250 });
    display.handle(updated(sale('1', 'charging')));
    expect(display.state().mode).toBe('processing');
    display.handle(updated(sale('1', 'paid')));
    expect(display.state()).toMatchObject({ mode: 'result', saleId: '1', outcome: 'approved', amount: 1250 });
    timers.advance(RESULT_MS - 1);
    expect(display.state().mode).toBe('result');
    timers.advance(1);
    expect(display.state().mode).toBe('thanks');
    timers.advance(THANKS_MS);
    expect(display.state().mode).toBe('idle');
    expect(modes()).toEqual(['pay', 'processing', 'result', 'thanks', 'idle']);
    expect(states.at(-1)).toMatchObject({ merchantName: 'Bar Sandbox', storeName: 'Centro' });
    expect(timers.pending()).toBe(0);
  });

  it('a charge whose outcome is not known yet keeps "processing" (never a QR, never a failure) until it is', () => {
    const { display, modes } = setup();
    display.handle(updated(sale('1', 'authorizing')));
    display.handle(updated(sale('1', 'waiting')));
    display.handle(updated(sale('1', 'granted')));
    display.handle(updated(sale('1', 'charging')));
    display.handle(updated(sale('1', 'unknown')));
    expect(display.state()).toMatchObject({ mode: 'processing', saleId: '1' });
    display.handle(updated(sale('1', 'charging')));
    display.handle(updated(sale('1', 'paid')));
    expect(display.state()).toMatchObject({ mode: 'result', outcome: 'approved' });
    expect(modes()).toEqual(['pay', 'processing', 'result']);
  });

  it('a pre-authorization (BOOKED) the payer approved ends as "authorized"; its capture later leaves the display alone', () => {
    const { display, timers } = setup();
    const booked = { policy: 'BOOKED' } as const;
    display.handle(updated(sale('1', 'authorizing', booked)));
    display.handle(updated(sale('1', 'waiting', booked)));
    display.handle(updated(sale('1', 'granted', booked)));
    expect(display.state()).toMatchObject({ mode: 'result', outcome: 'authorized', amount: 1250 });
    timers.advance(RESULT_MS + THANKS_MS);
    expect(display.state().mode).toBe('idle');
    display.handle(updated(sale('1', 'charging', booked)));
    display.handle(updated(sale('1', 'paid', { ...booked, charged: 800 })));
    expect(display.state().mode).toBe('idle');
  });

  it('a capture made while "authorized" is still up leaves it up, a refused one too (QA D11)', () => {
    const { display, timers } = setup();
    const booked = { policy: 'BOOKED' } as const;
    display.handle(updated(sale('1', 'authorizing', booked)));
    display.handle(updated(sale('1', 'waiting', booked)));
    display.handle(updated(sale('1', 'granted', booked)));
    expect(display.state()).toMatchObject({ mode: 'result', outcome: 'authorized' });
    display.handle(updated(sale('1', 'charging', booked)));
    display.handle(updated(sale('1', 'failed', { ...booked, authorizationStatus: 'GRANTED' })));
    expect(display.state()).toMatchObject({ mode: 'result', outcome: 'authorized' });
    display.handle(updated(sale('1', 'paid', { ...booked, charged: 700 })));
    expect(display.state()).toMatchObject({ mode: 'result', outcome: 'authorized' });
    timers.advance(RESULT_MS + THANKS_MS);
    expect(display.state().mode).toBe('idle');
  });

  it('an outcome unknown right after the approval (GRANTED) also shows "processing"', () => {
    const { display } = setup();
    display.handle(updated(sale('1', 'authorizing')));
    display.handle(updated(sale('1', 'waiting')));
    display.handle(updated(sale('1', 'unknown', { authorizationStatus: 'GRANTED' })));
    expect(display.state()).toMatchObject({ mode: 'processing', saleId: '1' });
  });

  it('a sale it never showed does not put up "processing"', () => {
    const { display } = setup();
    display.handle(updated(sale('1', 'authorizing')));
    display.handle(updated(sale('1', 'waiting')));
    display.handle(updated(sale('2', 'granted')));
    expect(display.state()).toMatchObject({ mode: 'pay', saleId: '1' });
  });

  it.each([
    ['refused', 'declined'],
    ['revoked', 'declined'],
    ['expired', 'expired'],
    ['cancelled', 'cancelled'],
    ['failed', 'failed'],
  ] as const)('shows %s as %s', (state, outcome) => {
    const { display } = setup();
    display.handle(updated(sale('1', 'authorizing')));
    display.handle(updated(sale('1', 'waiting')));
    display.handle(updated(sale('1', state)));
    expect(display.state()).toMatchObject({ mode: 'result', outcome });
  });

  it('takes the QR from sale.sharing, with the description the sale carried', () => {
    const { display } = setup();
    display.handle(updated(sale('7', 'authorizing')));
    display.handle({
      type: 'sale.sharing',
      saleId: '7',
      amount: 990,
      sharingUrl: 'https://pay.example/7',
      waitingExpiresAt: '2026-05-04T10:05:00.000Z',
    });
    expect(display.state()).toMatchObject({
      mode: 'pay',
      saleId: '7',
      amount: 990,
      description: 'Caffè e cornetto',
    });
  });

  it('a new sale interrupts the result or the thanks of the previous one', () => {
    const { display, timers } = setup();
    display.handle(updated(sale('1', 'authorizing')));
    display.handle(updated(sale('1', 'waiting')));
    display.handle(updated(sale('1', 'paid')));
    display.handle(updated(sale('2', 'created')));
    expect(display.state().mode).toBe('idle');
    display.handle(updated(sale('2', 'waiting')));
    expect(display.state()).toMatchObject({ mode: 'pay', saleId: '2' });
    // The old result's timers are gone: nothing moves the pay screen away.
    timers.advance(RESULT_MS + THANKS_MS);
    expect(display.state()).toMatchObject({ mode: 'pay', saleId: '2' });
  });

  it('ignores events about other sales: a refund on an old paid sale shows nothing', () => {
    const { display, states } = setup();
    display.handle(updated(sale('old', 'paid', { refunded: 500 })));
    display.handle(updated(sale('old', 'expired')));
    expect(states).toEqual([]);
    display.handle(updated(sale('1', 'authorizing')));
    display.handle(updated(sale('1', 'waiting')));
    display.handle(updated(sale('old', 'paid', { refunded: 1250 })));
    expect(display.state()).toMatchObject({ mode: 'pay', saleId: '1' });
  });

  it('never brings back the QR of a sale whose outcome was shown, and repeats nothing', () => {
    const { display, timers, states } = setup();
    display.handle(updated(sale('1', 'authorizing')));
    display.handle(updated(sale('1', 'waiting')));
    display.handle(updated(sale('1', 'waiting')));
    display.handle(updated(sale('1', 'cancelled')));
    display.handle(updated(sale('1', 'cancelled')));
    display.handle(updated(sale('1', 'waiting')));
    expect(states.map((s) => s.mode)).toEqual(['pay', 'result']);
    timers.advance(RESULT_MS + THANKS_MS);
    display.handle(updated(sale('1', 'waiting')));
    expect(display.state().mode).toBe('idle');
  });

  it('keeps the QR while the outcome is unknown, and shows a later definite one', () => {
    const { display } = setup();
    display.handle(updated(sale('1', 'authorizing')));
    display.handle(updated(sale('1', 'waiting')));
    display.handle(updated(sale('1', 'unknown')));
    expect(display.state().mode).toBe('pay');
    display.handle(updated(sale('1', 'failed')));
    expect(display.state()).toMatchObject({ mode: 'result', outcome: 'failed' });
    // A retried charge that succeeds replaces the failure.
    display.handle(updated(sale('1', 'paid')));
    expect(display.state()).toMatchObject({ mode: 'result', outcome: 'approved' });
  });

  it('re-sends the current screen with a new store name or language, and ignores recovery', () => {
    const { display, states } = setup();
    display.handle(updated(sale('1', 'authorizing')));
    display.handle(updated(sale('1', 'waiting')));
    display.setIdentity({ language: 'en', merchantName: 'Bar Sandbox', storeName: 'Via Roma' });
    expect(states.at(-1)).toMatchObject({ mode: 'pay', language: 'en', storeName: 'Via Roma' });
    const count = states.length;
    display.handle({ type: 'recovery', pending: 2, unknown: 1 });
    expect(states).toHaveLength(count);
  });

  it('reset goes back to idle at once and clears the timers', () => {
    const { display, timers } = setup();
    display.handle(updated(sale('1', 'authorizing')));
    display.handle(updated(sale('1', 'waiting')));
    display.handle(updated(sale('1', 'paid')));
    display.reset();
    expect(display.state().mode).toBe('idle');
    expect(timers.pending()).toBe(0);
  });
});

describe('customer display: only the sale the cashier is on, and never a stale screen', () => {
  const sharing = (id: string): SaleEvent => ({
    type: 'sale.sharing',
    saleId: id,
    amount: 9999,
    sharingUrl: `https://pay.example/${id}`,
    waitingExpiresAt: '2026-05-04T10:05:00.000Z',
  });

  it('an older waiting sale (a cancel sent again, a webhook adoption) never takes the screen', () => {
    const { display, states } = setup();
    // After a restart, nothing is current: an old sale's QR does not go up on the idle screen.
    display.handle(updated(sale('X', 'waiting', { amount: 9999 })));
    display.handle(sharing('X'));
    expect(states).toEqual([]);
    waiting(display, 'B');
    display.handle(updated(sale('X', 'waiting', { amount: 9999 })));
    display.handle(sharing('X'));
    expect(display.state()).toMatchObject({ mode: 'pay', saleId: 'B', amount: 1250 });
    // Nor does its outcome, and B's own still shows.
    display.handle(updated(sale('X', 'cancelled', { amount: 9999 })));
    display.handle(updated(sale('B', 'granted')));
    display.handle(updated(sale('B', 'paid')));
    expect(display.state()).toMatchObject({ mode: 'result', saleId: 'B', outcome: 'approved' });
  });

  it('after a restart it follows the sale the till resumed: its QR, then its outcome (QA E2)', () => {
    const { display, timers, modes } = setup();
    display.resume(sale('R', 'waiting', { description: 'Riavvio a metà', amount: 1500 }));
    expect(display.state()).toMatchObject({
      mode: 'pay',
      saleId: 'R',
      amount: 1500,
      description: 'Riavvio a metà',
      sharingUrl: 'https://pay.example/R',
    });
    // The polls resumed in this run echo it: nothing is sent again.
    display.handle(updated(sale('R', 'waiting', { description: 'Riavvio a metà', amount: 1500 })));
    display.handle(updated(sale('R', 'granted', { amount: 1500 })));
    display.handle(updated(sale('R', 'paid', { amount: 1500 })));
    expect(display.state()).toMatchObject({ mode: 'result', saleId: 'R', outcome: 'approved', amount: 1500 });
    timers.advance(RESULT_MS + THANKS_MS);
    expect(modes()).toEqual(['pay', 'processing', 'result', 'thanks', 'idle']);
    // Done with: resumed again (a new poll interval rebuilds the service) it shows nothing.
    display.resume(sale('R', 'paid'));
    expect(display.state().mode).toBe('idle');
  });

  it('resumes an approved sale as going through, a held one not at all, and never over a sale it follows', () => {
    const approved = setup();
    approved.display.resume(sale('G', 'charging'));
    expect(approved.display.state()).toMatchObject({ mode: 'processing', saleId: 'G' });
    approved.display.handle(updated(sale('G', 'failed')));
    expect(approved.display.state()).toMatchObject({ mode: 'result', saleId: 'G', outcome: 'failed' });

    const unknown = setup();
    unknown.display.resume(sale('U', 'unknown', { authorizationStatus: 'GRANTED' }));
    expect(unknown.display.state()).toMatchObject({ mode: 'processing', saleId: 'U' });
    // Not yet approved and no answer: the QR may still be needed, but the till does not know it.
    const unsure = setup();
    unsure.display.resume(sale('V', 'unknown'));
    unsure.display.resume(sale('H', 'granted', { policy: 'BOOKED' }));
    unsure.display.resume(sale('C', 'authorizing'));
    unsure.display.resume(null);
    expect(unsure.states).toEqual([]);

    const busy = setup();
    waiting(busy.display, 'B');
    busy.display.resume(sale('X', 'waiting'));
    expect(busy.display.state()).toMatchObject({ mode: 'pay', saleId: 'B' });
  });

  it('takes the QR down as soon as the cashier cancels, and keeps it down until DropPay answers', () => {
    const { display, timers, modes } = setup();
    waiting(display, '1');
    display.cancelling('1');
    expect(display.state()).toMatchObject({ mode: 'cancelling', saleId: '1', amount: 1250 });
    expect(display.state()).not.toHaveProperty('sharingUrl');
    // The cancel intent is recorded: the sale is still waiting, the QR stays down.
    display.handle(updated(sale('1', 'waiting')));
    expect(display.state().mode).toBe('cancelling');
    display.handle(updated(sale('1', 'cancelled')));
    expect(display.state()).toMatchObject({ mode: 'result', outcome: 'cancelled' });
    // No "thank you" for a payment that did not happen: straight back to idle.
    timers.advance(RESULT_MS);
    expect(modes()).toEqual(['pay', 'cancelling', 'result', 'idle']);
    expect(timers.pending()).toBe(0);
  });

  it('puts the QR back when the cancel was refused before it was recorded, and follows a grant that came first', () => {
    const { display } = setup();
    waiting(display, '1');
    display.cancelling('2');
    expect(display.state().mode).toBe('pay');
    display.cancelling('1');
    display.cancelAborted('1');
    expect(display.state()).toMatchObject({ mode: 'pay', saleId: '1', sharingUrl: 'https://pay.example/1' });
    // The payer approved before the cancel reached DropPay: the cashier's word wins, the till
    // does not charge it, and the customer is told it is cancelled.
    display.cancelling('1');
    display.handle(updated(sale('1', 'granted')));
    expect(display.state().mode).toBe('processing');
    display.cancelAborted('1');
    expect(display.state().mode).toBe('processing');
    display.handle(updated(sale('1', 'cancelled')));
    expect(display.state()).toMatchObject({ mode: 'result', outcome: 'cancelled' });
  });

  it('sends the customer to the cashier when the outcome takes too long, and never shows it later', () => {
    const { display, timers } = setup();
    waiting(display, '1');
    display.handle(updated(sale('1', 'granted')));
    display.handle(updated(sale('1', 'unknown')));
    timers.advance(PROCESSING_MS - 1);
    expect(display.state().mode).toBe('processing');
    // Repeated events about it do not restart the wait.
    display.handle(updated(sale('1', 'charging')));
    timers.advance(1);
    expect(display.state()).toMatchObject({ mode: 'result', saleId: '1', outcome: 'unconfirmed' });
    // Money may have moved: "ask the cashier" stays up while the customer may still be there,
    // not the welcome screen that says nothing happened.
    timers.advance(RESULT_MS * 10);
    expect(display.state()).toMatchObject({ mode: 'result', outcome: 'unconfirmed' });
    timers.advance(UNCONFIRMED_MS - RESULT_MS * 10);
    expect(display.state().mode).toBe('idle');
    // Twenty minutes on, the resolver learns it: the next customer is not told.
    display.handle(updated(sale('1', 'paid')));
    display.handle(updated(sale('1', 'failed')));
    expect(display.state().mode).toBe('idle');
    // A cancel DropPay never confirms ends the same way.
    waiting(display, '2');
    display.cancelling('2');
    timers.advance(PROCESSING_MS);
    expect(display.state()).toMatchObject({ mode: 'result', saleId: '2', outcome: 'unconfirmed' });
  });

  it('the next sale puts its QR up over "ask the cashier" at once', () => {
    const { display, timers } = setup();
    waiting(display, '1');
    display.handle(updated(sale('1', 'granted')));
    display.handle(updated(sale('1', 'unknown')));
    timers.advance(PROCESSING_MS);
    expect(display.state()).toMatchObject({ mode: 'result', outcome: 'unconfirmed' });
    waiting(display, '2');
    expect(display.state()).toMatchObject({ mode: 'pay', saleId: '2' });
    // Its timer went with it: the new customer's QR stays.
    timers.advance(UNCONFIRMED_MS);
    expect(display.state()).toMatchObject({ mode: 'pay', saleId: '2' });
  });

  it('after a failed charge: no "thank you"; charged again, it is followed again, to its end', () => {
    const { display, timers, modes } = setup();
    waiting(display, '1');
    display.handle(updated(sale('1', 'granted')));
    display.handle(updated(sale('1', 'failed')));
    timers.advance(RESULT_MS + THANKS_MS);
    expect(display.state().mode).toBe('idle');
    // The same failure again (a poll echo) shows nothing.
    display.handle(updated(sale('1', 'failed')));
    expect(display.state().mode).toBe('idle');
    // The cashier charges it again, long after the result screen went: it fails a second time.
    display.handle(updated(sale('1', 'charging')));
    expect(display.state()).toMatchObject({ mode: 'processing', saleId: '1' });
    display.handle(updated(sale('1', 'failed')));
    expect(display.state()).toMatchObject({ mode: 'result', outcome: 'failed' });
    timers.advance(RESULT_MS);
    // And once more, now in doubt: the time limit holds, no late outcome for the next customer.
    display.handle(updated(sale('1', 'charging')));
    display.handle(updated(sale('1', 'unknown')));
    timers.advance(PROCESSING_MS);
    expect(display.state()).toMatchObject({ mode: 'result', outcome: 'unconfirmed' });
    timers.advance(UNCONFIRMED_MS);
    display.handle(updated(sale('1', 'paid')));
    expect(display.state().mode).toBe('idle');
    expect(modes()).toEqual([
      'pay',
      'processing',
      'result',
      'idle',
      'processing',
      'result',
      'idle',
      'processing',
      'result',
      'idle',
    ]);
  });

  it.each(['refused', 'expired', 'revoked'] as const)(
    'after %s: idle without "thank you", for good',
    (state) => {
      const { display, timers, modes } = setup();
      display.handle(updated(sale('1', 'authorizing')));
      display.handle(updated(sale('1', 'waiting')));
      display.handle(updated(sale('1', state)));
      timers.advance(RESULT_MS + THANKS_MS);
      display.handle(updated(sale('1', 'paid')));
      expect(modes()).toEqual(['pay', 'result', 'idle']);
    },
  );
});

describe('customer display: a language chosen for the customer in front of it', () => {
  const languages = (states: DisplayState[]): string[] => states.map((s) => `${s.mode}:${s.language}`);

  it('chosen between sales: the next sale is in it, to its "thank you"; then the shop’s again', () => {
    const { display, timers, states } = setup();
    display.forCustomer('en');
    expect(display.state()).toMatchObject({ mode: 'idle', language: 'en' });
    // However long the customer takes to come forward, the choice waits for their sale.
    timers.advance(RESULT_MS + THANKS_MS);
    expect(display.state().language).toBe('en');
    display.handle(updated(sale('1', 'created')));
    waiting(display, '1');
    display.handle(updated(sale('1', 'paid')));
    timers.advance(RESULT_MS + THANKS_MS);
    expect(languages(states)).toEqual(['idle:en', 'pay:en', 'result:en', 'thanks:en', 'idle:it']);
  });

  it('chosen while a sale waits: that sale, not the next; null goes back at once', () => {
    const { display, timers } = setup();
    waiting(display, '1');
    display.forCustomer('en');
    expect(display.state()).toMatchObject({ mode: 'pay', language: 'en' });
    display.handle(updated(sale('1', 'refused')));
    expect(display.state()).toMatchObject({ mode: 'result', outcome: 'declined', language: 'en' });
    timers.advance(RESULT_MS);
    expect(display.state()).toMatchObject({ mode: 'idle', language: 'it' });
    waiting(display, '2');
    expect(display.state()).toMatchObject({ mode: 'pay', language: 'it' });
    display.forCustomer('en');
    display.forCustomer(null);
    expect(display.state()).toMatchObject({ mode: 'pay', language: 'it' });
  });

  it('chosen on the outcome of the last customer: kept for the next one', () => {
    const { display, timers } = setup();
    waiting(display, '1');
    display.handle(updated(sale('1', 'paid')));
    display.forCustomer('en');
    timers.advance(RESULT_MS + THANKS_MS);
    expect(display.state()).toMatchObject({ mode: 'idle', language: 'en' });
    waiting(display, '2');
    expect(display.state()).toMatchObject({ mode: 'pay', language: 'en' });
  });

  it('a failed charge keeps it (the cashier may charge again); the next sale is another customer’s', () => {
    const { display, timers } = setup();
    waiting(display, '1');
    display.forCustomer('en');
    display.handle(updated(sale('1', 'granted')));
    display.handle(updated(sale('1', 'failed')));
    timers.advance(RESULT_MS + THANKS_MS);
    expect(display.state()).toMatchObject({ mode: 'idle', language: 'en' });
    // Charged again: still theirs.
    display.handle(updated(sale('1', 'charging')));
    expect(display.state()).toMatchObject({ mode: 'processing', language: 'en' });
    display.handle(updated(sale('1', 'failed')));
    timers.advance(RESULT_MS);
    // The cashier moves on to a new sale: the next customer reads the shop's language.
    waiting(display, '2');
    expect(display.state()).toMatchObject({ mode: 'pay', saleId: '2', language: 'it' });
  });

  it('a new sale for the same customer (Try again) gets the language chosen for theirs', () => {
    const { display, timers } = setup();
    // Chosen while the sale waited; the customer let it expire.
    waiting(display, '1');
    display.forCustomer('en');
    display.handle(updated(sale('1', 'expired')));
    timers.advance(RESULT_MS);
    expect(display.state()).toMatchObject({ mode: 'idle', language: 'it' });
    display.sameCustomerAs('1');
    expect(display.state()).toMatchObject({ mode: 'idle', language: 'en' });
    waiting(display, '2');
    expect(display.state()).toMatchObject({ mode: 'pay', saleId: '2', language: 'en' });
    display.handle(updated(sale('2', 'paid')));
    timers.advance(RESULT_MS + THANKS_MS);
    // Chosen between sales and taken by the next one: that one can be tried again too.
    display.forCustomer('en');
    waiting(display, '3');
    display.handle(updated(sale('3', 'cancelled')));
    timers.advance(RESULT_MS);
    display.sameCustomerAs('3');
    waiting(display, '4');
    expect(display.state()).toMatchObject({ mode: 'pay', saleId: '4', language: 'en' });
  });

  it('a new sale for the same customer as one in the shop’s language stays in it', () => {
    const { display, timers } = setup();
    waiting(display, '1');
    display.forCustomer('en');
    display.forCustomer(null);
    display.handle(updated(sale('1', 'expired')));
    timers.advance(RESULT_MS);
    display.sameCustomerAs('1');
    display.sameCustomerAs('unknown-sale');
    waiting(display, '2');
    expect(display.state()).toMatchObject({ mode: 'pay', saleId: '2', language: 'it' });
  });

  it('a new shop language leaves the choice in force; reset drops it', () => {
    const { display } = setup();
    display.forCustomer('en');
    display.setIdentity({ language: 'it', merchantName: 'Bar Sandbox', storeName: 'Via Roma' });
    expect(display.state()).toMatchObject({ language: 'en', storeName: 'Via Roma' });
    display.reset();
    expect(display.state()).toMatchObject({ mode: 'idle', language: 'it' });
  });
});
