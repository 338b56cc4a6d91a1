import { describe, expect, it } from 'vitest';
import { eventHash, GENESIS_HASH, verifyChainRows } from '../../../electron/main/journal/hash-chain';
import type { EventRow } from '../../../electron/main/journal/rows';

function chain(n: number): EventRow[] {
  const rows: EventRow[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq += 1) {
    const unhashed = {
      seq,
      at: `2026-03-29T00:00:0${seq % 10}.000Z`,
      business_day: '2026-03-29',
      kind: 'sale.started',
      correlation_id: `sale-${seq}`,
      entity_id: `sale-${seq}`,
      payload: `{"amount":${seq * 100}}`,
      prev_hash: prev,
    };
    const row = { ...unhashed, hash: eventHash(unhashed) };
    rows.push(row);
    prev = row.hash;
  }
  return rows;
}

describe('hash chain (pure)', () => {
  it('an intact chain verifies, with its count and head', () => {
    const rows = chain(5);
    expect(verifyChainRows(rows)).toEqual({ ok: true, count: 5, head: rows[4]?.hash });
    expect(verifyChainRows([])).toEqual({ ok: true, count: 0, head: GENESIS_HASH });
  });

  it('the hash is sha256 over prev_hash and the canonical fields: known vector', () => {
    const first = chain(1)[0];
    expect(first?.prev_hash).toBe(GENESIS_HASH);
    expect(first?.hash).toMatch(/^[0-9a-f]{64}$/);
    // Any field change changes the hash.
    if (!first) throw new Error('no row');
    for (const field of ['at', 'business_day', 'kind', 'correlation_id', 'entity_id', 'payload'] as const) {
      expect(eventHash({ ...first, [field]: `${first[field] ?? ''}x` })).not.toBe(first.hash);
    }
    expect(eventHash({ ...first, correlation_id: null })).not.toBe(first.hash);
  });

  const fields = ['at', 'business_day', 'kind', 'correlation_id', 'entity_id', 'payload', 'hash'] as const;
  it.each(fields)('changing %s of any one event breaks the chain exactly there', (field) => {
    for (let target = 1; target <= 6; target += 1) {
      const rows = chain(6).map((r) =>
        r.seq === target ? { ...r, [field]: field === 'hash' ? 'f'.repeat(64) : `${r[field] ?? ''} ` } : r,
      );
      const verdict = verifyChainRows(rows);
      expect(verdict).toMatchObject({
        ok: false,
        brokenAtSeq: target,
        reason: 'hash-mismatch',
        count: target - 1,
      });
    }
  });

  it('a removed event is reported at the one after it; a re-linked forgery at its successor', () => {
    const rows = chain(6);
    expect(verifyChainRows(rows.filter((r) => r.seq !== 3))).toMatchObject({
      ok: false,
      brokenAtSeq: 4,
      reason: 'seq-gap',
    });
    const forged = rows.map((r) => (r.seq === 3 ? { ...r, payload: '{"amount":1}' } : r));
    const third = forged[2];
    if (!third) throw new Error('no row');
    third.hash = eventHash(third); // the forger re-hashes the row they edited
    expect(verifyChainRows(forged)).toMatchObject({
      ok: false,
      brokenAtSeq: 4,
      reason: 'prev-hash-mismatch',
    });
  });
});
