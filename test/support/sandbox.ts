/**
 * The real DropPay sandbox for the torture tests, started in the test process so it outlives
 * every child that is killed, with typed calls to its control surface.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type SandboxCredentials, type SandboxOptions } from '../../electron/main/sandbox';
import { parseLedger, simCall, toAuthorization, type TestSandboxControl } from './sim-client';

export type { Faults, Ledger, LedgerCharge, LedgerRefund, SimAuthorization } from './sim-client';

export interface TestSandbox extends TestSandboxControl {
  credentials: SandboxCredentials;
  dispose(): Promise<void>;
}

export async function startTestSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
  const dataDir = mkdtempSync(join(tmpdir(), 'droppay-torture-sandbox-'));
  const running = await startSandbox({ port: 0, dataDir, ...options });
  const { baseUrl } = running;
  const sim = (method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> =>
    simCall(baseUrl, method, path, body);
  const move = (verb: string) => async (id: string) =>
    toAuthorization(await sim('POST', `/_sim/authorization/${encodeURIComponent(id)}/${verb}`));
  return {
    baseUrl,
    credentials: running.credentials,
    sim,
    grant: move('grant'),
    refuse: move('refuse'),
    revoke: move('revoke'),
    faults: async (f) => {
      await sim('POST', '/_sim/faults', { seed: 1, ...f });
    },
    clearFaults: async () => {
      await sim('POST', '/_sim/faults', {});
    },
    advance: async (seconds) => {
      await sim('POST', '/_sim/clock/advance', { seconds });
    },
    reset: async () => {
      await sim('POST', '/_sim/reset');
    },
    ledger: async () => parseLedger(await sim('GET', '/_sim/ledger')),
    dispose: async () => {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
