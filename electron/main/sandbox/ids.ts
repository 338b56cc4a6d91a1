import { randomBytes, randomInt, randomUUID } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomAlnum(length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALNUM[randomInt(ALNUM.length)] ?? 'X';
  return out;
}

/** Resource ids look like DropPay's: a type prefix and random uppercase letters and digits. */
export const newId = {
  authorization: (): string => `CHT${randomAlnum(14)}`,
  charge: (): string => `CHA${randomAlnum(14)}`,
  refund: (): string => `CHR${randomAlnum(14)}`,
  connection: (): string => `CONK${randomAlnum(10)}`,
  pos: (): string => `POS${randomAlnum(10)}`,
  applicationKey: (): string => `APPK${randomAlnum(16)}`,
} as const;

/** Secrets (application secret, connection code, tokens): 256 bits, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function newPayTokenVal(): string {
  return randomUUID();
}
