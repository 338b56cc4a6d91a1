import { parseArgs } from 'node:util';
import { startSandbox } from './index';

/**
 * `npm run sandbox -- --port N [--data-dir DIR] [--host H]`
 * Prints exactly one JSON line with the base URL and credentials on stdout (the machine-
 * readable part), logs requests on stderr, and runs until SIGINT/SIGTERM.
 */

const USAGE = 'usage: npm run sandbox -- [--port N] [--data-dir DIR] [--host H] [--quiet]';

function usageError(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function parse(): { port: number; dataDir: string | undefined; host: string | undefined; quiet: boolean } {
  let values: { port?: string; 'data-dir'?: string; host?: string; quiet?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        host: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    usageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const portText = values.port ?? '0';
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
  if (!Number.isInteger(port) || port > 65535)
    usageError(`--port must be an integer from 0 to 65535, got "${portText}"`);
  if (values['data-dir'] === '') usageError('--data-dir must not be empty');
  if (values.host === '') usageError('--host must not be empty');
  return { port, dataDir: values['data-dir'], host: values.host, quiet: values.quiet === true };
}

async function main(): Promise<void> {
  const args = parse();
  const sandbox = await startSandbox({
    port: args.port,
    dataDir: args.dataDir,
    host: args.host,
    log: args.quiet ? undefined : (line) => process.stderr.write(`${line}\n`),
  });
  const c = sandbox.credentials;
  process.stdout.write(
    `${JSON.stringify({
      base_url: sandbox.baseUrl,
      application_key: c.applicationKey,
      application_secret: c.applicationSecret,
      connection_code: c.connectionCode,
      pos_id: c.posId,
    })}\n`,
  );
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    sandbox.close().then(
      () => {
        if (!args.quiet) process.stderr.write('DropPay sandbox stopped\n');
        process.exit(0);
      },
      (err: unknown) => {
        process.stderr.write(`sandbox close failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`sandbox failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
