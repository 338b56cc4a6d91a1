import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../../electron/main/app/handlers';
import type { Runtime } from '../../../electron/main/app/runtime';
import { ConfigError } from '../../../electron/main/app/config';

/** Just enough of a runtime for the settings channel, with a log that keeps its lines. */
function fakeRuntime(view: () => unknown): { runtime: Runtime; lines: string[] } {
  const lines: string[] = [];
  const runtime = { settings: { view }, log: (line: string) => lines.push(line) } as unknown as Runtime;
  return { runtime, lines };
}

describe('handlers: what the renderer and the log get of a failure', () => {
  it('an unexpected error is INTERNAL for the renderer, and its stack goes to the log', async () => {
    const { runtime, lines } = fakeRuntime(() => {
      throw new TypeError('cannot read properties of undefined (reading "language")');
    });
    const result = await createHandlers(runtime)['settings:get'](undefined);
    expect(result).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Unexpected error.', detail: { key: 'internal.unexpected' } },
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^unexpected error: TypeError: cannot read properties of undefined/);
    expect(lines[0]).toContain('handlers.test.ts');
  });

  it('a refusal the core explains is passed on and not logged as unexpected', async () => {
    const { runtime, lines } = fakeRuntime(() => {
      throw new ConfigError('the custom address is missing');
    });
    const result = await createHandlers(runtime)['settings:get'](undefined);
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(lines).toEqual([]);
  });
});

describe('handlers: the customer display around a cancel', () => {
  /** A runtime whose cancel fails with `error`, with or without the cancel already recorded. */
  function cancelling(error: Error, recorded: boolean) {
    const calls: string[] = [];
    const runtime = {
      log: () => undefined,
      display: {
        cancelling: (id: string) => calls.push(`cancelling ${id}`),
        cancelAborted: (id: string) => calls.push(`aborted ${id}`),
      },
      journal: {
        saleHasEvent: (id: string, kind: string) => recorded && kind === 'authorization.cancel.intent',
      },
      payments: () =>
        Promise.resolve({
          cancelSale: () => Promise.reject(error),
        }),
    } as unknown as Runtime;
    return { handlers: createHandlers(runtime), calls };
  }

  it('takes the QR down first, and puts it back only when the cancel was never recorded', async () => {
    const before = cancelling(new Error('the journal refused the intent'), false);
    expect((await before.handlers['sale:cancel']({ saleId: 's1' })).ok).toBe(false);
    expect(before.calls).toEqual(['cancelling s1', 'aborted s1']);

    // Recorded, then DropPay could not be reached: the till cancels it anyway, the QR stays down.
    const after = cancelling(new Error('DropPay is not reachable'), true);
    expect((await after.handlers['sale:cancel']({ saleId: 's1' })).ok).toBe(false);
    expect(after.calls).toEqual(['cancelling s1']);
  });
});
