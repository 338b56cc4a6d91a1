import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultDataDir } from '../app/data-dir';
import { createHandlers } from '../app/handlers';
import { createRuntime } from '../app/runtime';
import { startBridge } from './server';

// Browser mode: the core under plain Node and the built renderer served on loopback. Used
// where no Electron binary exists (and by the end-to-end tests). Prints the cashier's address
// and the customer display's (each with its own secret), then runs until SIGINT/SIGTERM.

async function main(): Promise<void> {
  const rendererDir = resolve('out/renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    console.error('The renderer is not built: run `npm run build` first (npm start does it for you).');
    process.exit(2);
  }
  const portArg = process.argv.indexOf('--port');
  const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('--port takes a number from 0 to 65535');
    process.exit(2);
  }
  const dataDir = defaultDataDir();
  const runtime = await createRuntime({ dataDir });
  const bridge = await startBridge({
    handlers: createHandlers(runtime),
    rendererDir,
    port,
    events: runtime.events,
  });
  console.log(`DropPay Cashier (${runtime.environment}) — open ${bridge.url}`);
  // The customer's screen: a second browser window (e.g. full screen on the second monitor).
  console.log(`customer display — open ${bridge.customerUrl}`);
  console.log(`data folder: ${dataDir}`);
  if (runtime.sandbox) console.log(`embedded DropPay sandbox: ${runtime.sandbox.baseUrl}`);

  const stop = (): void => {
    void Promise.all([bridge.close(), runtime.close()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('DropPay Cashier failed to start:', error instanceof Error ? error.message : String(error));
  process.exit(1);
});
