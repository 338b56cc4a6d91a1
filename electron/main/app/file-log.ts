/**
 * The core's diagnostics on disk, for whoever looks after the till: one file a day
 * (`cashier-YYYY-MM-DD.log`, UTC dates), each line time-stamped, the newest `keepDays` files
 * kept. The core never logs a secret; as a second guard, anything shaped like a bearer token
 * or a credential field is masked before it is written. A log that cannot be written never
 * stops the till.
 */
import { appendFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const LOG_KEEP_DAYS = 14;

const NAME = /^cashier-(\d{4}-\d{2}-\d{2})\.log$/;

/** Masks what looks like a secret: `Bearer …`, and the value of a credential-named field. */
export function scrubSecrets(line: string): string {
  return line
    .replace(/\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 ***')
    .replace(
      /("?(?:access_token|refresh_token|client_secret|application_secret|applicationSecret|connection_code|connectionCode|password)"?\s*[:=]\s*)("[^"]*"|[^\s,&}]+)/gi,
      '$1***',
    );
}

export function createFileLog(
  dir: string,
  options: { now?: () => Date; keepDays?: number } = {},
): (line: string) => void {
  const now = options.now ?? (() => new Date());
  const keep = options.keepDays ?? LOG_KEEP_DAYS;
  let day = '';
  let broken = false;

  const rotate = (): void => {
    const old = readdirSync(dir)
      .filter((name) => NAME.test(name))
      .sort()
      .reverse()
      .slice(keep);
    for (const name of old) rmSync(join(dir, name), { force: true });
  };

  return (line) => {
    const at = now();
    const today = at.toISOString().slice(0, 10);
    try {
      const newDay = today !== day;
      if (newDay) mkdirSync(dir, { recursive: true });
      appendFileSync(join(dir, `cashier-${today}.log`), `${at.toISOString()} ${scrubSecrets(line)}\n`);
      // Once today's file exists, the oldest beyond `keep` go.
      if (newDay) {
        day = today;
        rotate();
      }
      broken = false;
    } catch (error) {
      // Said once on stderr, not on every line; the till goes on.
      if (!broken)
        console.error(`log file not written: ${error instanceof Error ? error.message : String(error)}`);
      broken = true;
    }
  };
}
