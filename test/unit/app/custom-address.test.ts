/** Which addresses a custom DropPay may have: the till sends its secrets there. */
import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../../electron/main/app/config';
import type { StoredSettings } from '../../../electron/main/app/settings-store';
import { initialTarget } from '../../../electron/main/app/startup';
import type { CredentialStore } from '../../../electron/main/credentials/index';
import { customAddressProblem, SettingsUpdateSchema } from '../../../shared/settings';

describe('a custom DropPay address', () => {
  it('https anywhere; plain http only to this machine', () => {
    for (const ok of [
      'https://pay.example',
      'https://pay.example:8443/api/',
      'http://127.0.0.1:4010',
      'http://localhost:8080/x',
      'http://[::1]:9000',
    ]) {
      expect(customAddressProblem(ok), ok).toBeNull();
      expect(SettingsUpdateSchema.safeParse({ customBaseUrl: ok }).success, ok).toBe(true);
    }
    for (const [bad, why] of [
      ['http://pay.example', /https/],
      ['http://10.0.0.5:8080', /https/],
      ['http://127.0.0.1.pay.example', /https/],
      ['https://user:secret@pay.example', /user name or password/],
      ['https://pay.example/api?token=1', /query or a fragment/],
      ['https://pay.example/api#v1', /query or a fragment/],
      ['https://pay.example/api?', /query or a fragment/],
      ['not-a-url', /not a URL/],
      ['not a url', /spaces/],
      ['https://exa mple.com', /spaces/],
      ['https://exa%20mple.com', /host name|not a URL/],
    ] as const) {
      expect(customAddressProblem(bad), bad).toMatch(why);
      expect(SettingsUpdateSchema.safeParse({ customBaseUrl: bad }).success, bad).toBe(false);
    }
  });

  it('a huge address is refused on its length alone, before it is parsed as a URL', () => {
    const huge = `https://shop example ${'a'.repeat(5_000_000)}`;
    const result = SettingsUpdateSchema.safeParse({ customBaseUrl: huge });
    expect(result.success).toBe(false);
    // One issue, the length: the URL check never ran.
    expect(result.error?.issues.map((i) => i.code)).toEqual(['too_big']);
    expect(SettingsUpdateSchema.safeParse({ customBaseUrl: null }).success).toBe(true);
  });

  it('the same rule for DROPPAY_BASE_URL', () => {
    const read = (url: string) => () =>
      resolveTarget('/nonexistent-data-dir', { DROPPAY_ENV: 'custom', DROPPAY_BASE_URL: url });
    expect(read('http://pay.example')).toThrow(/refused: it must be https/);
    // The message goes to the log and the start-up dialog: never the password it refuses.
    expect(read('https://merchant:S3cret@pay.example')).toThrow(/user name or password/);
    expect(read('https://merchant:S3cret@pay.example')).not.toThrow(/S3cret/);
    expect(read('https://pay.example')()).toMatchObject({
      environment: 'custom',
      baseUrl: 'https://pay.example',
    });
  });
});

describe('a custom address saved before the rule', () => {
  const store = { get: () => Promise.resolve(undefined) } as unknown as CredentialStore;
  const stored = (customBaseUrl: string): StoredSettings =>
    ({ environment: 'custom', customBaseUrl }) as unknown as StoredSettings;
  const config = { environment: 'sandbox', explicit: false, source: 'default', baseUrl: null } as const;

  it('is not opened at start-up: the till starts as if none had been chosen', async () => {
    expect(await initialTarget(config, stored('http://pay.example'), () => store)).toEqual({
      environment: 'sandbox',
    });
    expect(await initialTarget(config, stored('https://pay.example'), () => store)).toEqual({
      environment: 'custom',
      baseUrl: 'https://pay.example',
    });
  });
});
