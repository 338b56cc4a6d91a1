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
