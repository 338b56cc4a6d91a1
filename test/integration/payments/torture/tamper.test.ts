/**
 * Tampering: a real sale history (paid, partly refunded, refused, cancelled, captured) is made
 * by the real payments core against the sandbox. Then, on a copy of the file each time, one
 * column of one event is rewritten behind the journal's back (dropping the append-only
 * trigger in a raw connection, as someone holding the file could). verifyChain must report
 * the break at exactly that event, while SQLite's own integrity check still finds nothing
 * wrong: the chain is what catches it.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJournal } from '../../../../electron/main/journal';
import {
  allEvents,
  integrityCheck,
  rawJournal,
  tamperEvent,
  type EventColumn,
  type RawEvent,
} from '../../../support/journal-file';
import { forgetKeychain, provisionKeychain } from '../../../support/keychain';
import { openTill } from '../../../support/recovery';
import { startTestSandbox, type TestSandbox } from '../../../support/sandbox';
import { removeTemps, tempDir, tempJournalPath } from '../../../support/temp';

let sandbox: TestSandbox;
let original: string;
let events: RawEvent[];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  sandbox = await startTestSandbox({ refundSettleSeconds: 0 });
  const store = await provisionKeychain(sandbox.baseUrl, sandbox.credentials);
  original = tempJournalPath();
  const till = openTill({ journalPath: original, sandbox, store });
  try {
    await till.service.recover();
    const { service } = till;
    const state = (id: string): string => service.getSale(id).state;
    // One sale at a time at the customer: each ends before the next starts.
    const until = async (id: string, wanted: string): Promise<void> => {
      for (let i = 0; i < 2000 && state(id) !== wanted; i += 1) await sleep(5);
    };
    const paid = await service.startSale({ amount: 5472, description: 'Spesa' });
    await sandbox.grant(paid.authorizationId ?? '');
    service.notify(paid.authorizationId ?? '');
    await until(paid.id, 'paid');
    const refused = await service.startSale({ amount: 120, description: 'Caffè' });
    await sandbox.refuse(refused.authorizationId ?? '');
    service.notify(refused.authorizationId ?? '');
    await until(refused.id, 'refused');
    const cancelled = await service.startSale({ amount: 300, description: 'Brioche' });
    await service.cancelSale(cancelled.id);
    const booked = await service.startSale({ amount: 9000, description: 'Cena', policy: 'BOOKED' });
    await sandbox.grant(booked.authorizationId ?? '');
    service.notify(booked.authorizationId ?? '');
    await until(booked.id, 'granted');
    await service.captureSale({ saleId: booked.id, amount: 7550 });
    const charge = service.getSale(paid.id).charges[0];
    await service.refund({ chargeId: charge?.id ?? '', amount: 1000, reason: 'Reso parziale' });
    const details = await till.settle();
    expect(details.map((d) => d.sale.state).sort()).toEqual(['cancelled', 'paid', 'paid', 'refused']);
  } finally {
    await till.close();
    await forgetKeychain(store);
  }
  const db = rawJournal(original, { readonly: true });
  events = allEvents(db);
  db.close();
}, 120_000);
afterAll(async () => {
  await sandbox.dispose();
  removeTemps();
});

/** A copy of the untouched history to tamper with. */
function copy(): string {
  const to = join(tempDir(), 'tampered.sqlite');
  copyFileSync(original, to);
  if (existsSync(`${original}-wal`)) copyFileSync(`${original}-wal`, `${to}-wal`);
  return to;
}

function flipHex(hex: string): string {
  const last = hex.at(-1) === '0' ? '1' : '0';
  return hex.slice(0, -1) + last;
}

/** A plausible forgery of each column: still valid for every CHECK constraint of the table. */
const FORGE: Record<EventColumn, (row: RawEvent) => string> = {
  payload: (row) => {
    const p = JSON.parse(row.payload) as Record<string, unknown>;
    if (typeof p.amount === 'number') p.amount += 100;
    else if (typeof p.sale_state === 'string') p.sale_state = p.sale_state === 'paid' ? 'failed' : 'paid';
    else p.note = 'edited';
    return JSON.stringify(p);
  },
  at: (row) => new Date(Date.parse(row.at) - 60_000).toISOString(),
  business_day: (row) =>
    row.business_day.endsWith('1')
      ? `${row.business_day.slice(0, -1)}2`
      : `${row.business_day.slice(0, -1)}1`,
  kind: (row) => (row.kind === 'charge.failed' ? 'charge.done' : 'charge.failed'),
  correlation_id: (row) => `${row.correlation_id ?? 'x'}-forged`,
  entity_id: (row) => `${row.entity_id ?? 'x'}-forged`,
  prev_hash: (row) => flipHex(row.prev_hash),
  hash: (row) => flipHex(row.hash),
};

describe('tampering with the journal is caught at the event that was changed', () => {
  it('the untouched history verifies, and is a real one', () => {
    const kinds = new Set(events.map((e) => e.kind));
    for (const k of [
      'sale.started',
      'authorization.created',
      'charge.done',
      'refund.intent',
      'refund.status',
    ])
      expect(kinds).toContain(k);
    const journal = openJournal({ path: copy() });
    expect(journal.verifyChain()).toEqual({ ok: true, count: events.length, head: events.at(-1)?.hash });
    journal.close();
  });

  // The first and last events, and one of each step of a paid and refunded sale.
  const pick = (): RawEvent[] => {
    const first = (kind: string): RawEvent | undefined => events.find((e) => e.kind === kind);
    const rows = [
      events[0],
      first('authorization.created'),
      first('charge.intent'),
      first('charge.done'),
      first('refund.intent'),
      events[Math.floor(events.length / 2)],
      events.at(-1),
    ];
    return [...new Map(rows.flatMap((r) => (r ? [[r.seq, r]] : []))).values()];
  };
  const columns = Object.keys(FORGE) as EventColumn[];

  it('covers several rows and every column', () => {
    expect(pick().length).toBeGreaterThanOrEqual(5);
  });

  for (const column of columns) {
    it(`a changed ${column} is reported at exactly that seq, on every chosen row`, () => {
      for (const row of pick()) {
        const path = copy();
        const forged = FORGE[column](row);
        expect(forged).not.toBe(row[column]);
        expect(tamperEvent(path, row.seq, column, forged)).toBe(row[column]);
        // SQLite sees a perfectly sound file, and the append-only trigger is back in place.
        expect(integrityCheck(path)).toEqual(['ok']);
        const db = rawJournal(path);
        expect(() => db.prepare('UPDATE events SET payload = payload WHERE seq = 1').run()).toThrow(
          /append-only/,
        );
        db.close();

        const journal = openJournal({ path });
        const verdict = journal.verifyChain();
        journal.close();
        expect(verdict, `${column} of event ${row.seq} (${row.kind})`).toMatchObject({
          ok: false,
          brokenAtSeq: row.seq,
          reason: column === 'prev_hash' ? 'prev-hash-mismatch' : 'hash-mismatch',
        });
      }
    });
  }
});
