/**
 * What a failed journal write tells the cashier: before a call to DropPay, that nothing was
 * sent; after one, that DropPay may have acted and must not be asked again. The context is a
 * fake with only what record() touches.
 */
import { describe, expect, it } from 'vitest';
import { JournalWriteError } from '../../../electron/main/journal/index';
import { record, recordIntent, type Ctx } from '../../../electron/main/payments/context';
import { PaymentsError } from '../../../electron/main/payments/index';

function fakeCtx(): { ctx: Ctx; published: string[] } {
  const published: string[] = [];
  const ctx = { publish: (saleId: string) => published.push(saleId) } as unknown as Ctx;
  return { ctx, published };
}

const full = (): never => {
  throw new JournalWriteError('FULL', 'disk full', 'SQLITE_FULL');
};

function failureOf(fn: () => unknown): PaymentsError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PaymentsError);
    return err as PaymentsError;
  }
  throw new Error('expected the write to fail');
}

describe('record and recordIntent', () => {
  it('an intent that cannot be written: STORAGE, nothing was sent, nothing pushed', () => {
    const { ctx, published } = fakeCtx();
    const error = failureOf(() => recordIntent(ctx, 'sale-1', full));
    expect(error).toMatchObject({ code: 'STORAGE', saleId: 'sale-1' });
    expect(error.message).toMatch(/\(FULL\): nothing was sent to DropPay/);
    expect(error.cause).toBeInstanceOf(JournalWriteError);
    expect(published).toEqual([]);
  });

  it('an answer that cannot be written: STORAGE, and it never claims nothing was sent', () => {
    const { ctx, published } = fakeCtx();
    const error = failureOf(() => record(ctx, 'sale-2', full));
    expect(error).toMatchObject({ code: 'STORAGE', saleId: 'sale-2' });
    expect(error.message).not.toMatch(/nothing was sent/);
    expect(error.message).toMatch(/DropPay may have acted: do not repeat/);
    expect(published).toEqual([]);
  });

  it('a write that works is returned and pushed to the UI', () => {
    const { ctx, published } = fakeCtx();
    expect(record(ctx, 'sale-3', () => 42)).toBe(42);
    expect(recordIntent(ctx, 'sale-4', () => 'ok')).toBe('ok');
    expect(published).toEqual(['sale-3', 'sale-4']);
  });

  it('other journal refusals keep their own codes', () => {
    const { ctx } = fakeCtx();
    const error = failureOf(() =>
      record(ctx, 's', () => {
        throw new PaymentsError('INVALID_STATE', 'no');
      }),
    );
    expect(error.code).toBe('INVALID_STATE');
  });
});
