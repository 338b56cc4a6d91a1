import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebContents } from 'electron';
import { registerIpc, type WindowRole } from '../../../electron/main/ipc/register';
import { createAppUrlCheck } from '../../../electron/main/app/app-url';
import type { Handlers } from '../../../electron/main/app/dispatch';
import { CHANNEL_NAMES, CUSTOMER_CHANNELS } from '../../../shared/ipc/channel-names';
import { ok } from '../../../shared/result';
import { FakeWebContents, FakeWebFrameMain, ipcMain, resetFake } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

const INDEX = 'file:///opt/DropPay/resources/app.asar/out/renderer/index.html';
const isAppUrl = createAppUrlCheck({ rendererIndexUrl: INDEX });
const REFUSED = { ok: false, error: { code: 'VALIDATION', message: 'Request refused.' } };

/** Inputs each channel's schema accepts (undefined for the channels without input). */
const VALID: Partial<Record<string, unknown>> = {
  'sale:get': { saleId: 'sale-1' },
  'sale:cancel': { saleId: 'sale-1' },
};

let cashier: FakeWebContents;
let customer: FakeWebContents;
let handlers: Record<string, ReturnType<typeof vi.fn>>;
let unregister: () => void;

function showing(contents: FakeWebContents, url: string): FakeWebContents {
  contents.navigate(url);
  return contents;
}

beforeEach(() => {
  resetFake();
  cashier = showing(new FakeWebContents(), `${INDEX}#cashier`);
  customer = showing(new FakeWebContents(), `${INDEX}#customer`);
  handlers = Object.fromEntries(
    CHANNEL_NAMES.map((c) => [c, vi.fn((input: unknown) => Promise.resolve(ok({ channel: c, input })))]),
  );
  // The same identification index.ts does: by web contents, never by what the page says.
  const roleOf = (sender: WebContents): WindowRole | null => {
    const contents: unknown = sender;
    if (contents === cashier) return 'cashier';
    if (contents === customer) return 'customer';
    return null;
  };
  unregister = registerIpc(handlers as unknown as Handlers, { isAppUrl, roleOf });
});

const call = (from: FakeWebContents, channel: string, input?: unknown): Promise<unknown> =>
  ipcMain.invokeFrom(from, from.mainFrame, channel, input);

describe('handler registration', () => {
  it('registers exactly one handler per channel of the contract and nothing else', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());
    // A second registration would hit Electron's "second handler" error.
    expect(() => registerIpc(handlers as unknown as Handlers, { isAppUrl, roleOf: () => null })).toThrow(
      /second handler/,
    );
  });

  it('the returned function removes every handler, so registering again works', async () => {
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
    await expect(call(cashier, 'app:status')).rejects.toThrow(/No handler registered/);
    expect(() =>
      registerIpc(handlers as unknown as Handlers, { isAppUrl, roleOf: () => null }),
    ).not.toThrow();
    expect(ipcMain.handlers.size).toBe(CHANNEL_NAMES.length);
  });
});

describe('a call from the cashier window', () => {
  it('reaches the handler with the parsed input and returns its Result', async () => {
    await expect(call(cashier, 'sale:get', { saleId: 'sale-1' })).resolves.toEqual(
      ok({ channel: 'sale:get', input: { saleId: 'sale-1' } }),
    );
    expect(handlers['sale:get']).toHaveBeenCalledTimes(1);
    await expect(call(cashier, 'app:status')).resolves.toEqual(
      ok({ channel: 'app:status', input: undefined }),
    );
  });

  it('reaches every channel of the contract', async () => {
    for (const channel of CHANNEL_NAMES) {
      const answer = (await call(cashier, channel, VALID[channel])) as { ok: boolean; error?: unknown };
      // Refused would be the sender check; a validation error here would still be dispatch's.
      expect(answer).not.toEqual(REFUSED);
    }
    expect(handlers['app:status']).toHaveBeenCalled();
    expect(handlers['display:state']).toHaveBeenCalled();
  });

  it('answers invalid input with VALIDATION from dispatch, without calling the handler', async () => {
    const answer = await call(cashier, 'sale:get', { saleId: '' });
    expect(answer).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'Invalid input for sale:get (saleId).',
        detail: { key: 'input.invalid', params: { field: 'saleId' } },
      },
    });
    await expect(call(cashier, 'app:status', { unexpected: true })).resolves.toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(handlers['sale:get']).not.toHaveBeenCalled();
    expect(handlers['app:status']).not.toHaveBeenCalled();
  });
});

describe('calls the sender check refuses', () => {
  it('a subframe of the cashier window, even one showing the app', async () => {
    const child = new FakeWebFrameMain(`${INDEX}#cashier`, cashier.mainFrame);
    await expect(ipcMain.invokeFrom(cashier, child, 'sale:get', { saleId: 'sale-1' })).resolves.toEqual(
      REFUSED,
    );
    expect(handlers['sale:get']).not.toHaveBeenCalled();
  });

  it('a sender frame that is null (navigated away, or its window destroyed)', async () => {
    await expect(ipcMain.invokeFrom(cashier, null, 'app:status')).resolves.toEqual(REFUSED);
    const frame = cashier.mainFrame;
    cashier.navigate(`${INDEX}#cashier`); // the frame that sent the call is gone
    await expect(ipcMain.invokeFrom(cashier, frame, 'app:status')).resolves.toEqual(REFUSED);
    const live = cashier.mainFrame;
    cashier.destroy(); // the window closed while its call was in flight
    await expect(ipcMain.invokeFrom(cashier, live, 'app:status')).resolves.toEqual(REFUSED);
    expect(handlers['app:status']).not.toHaveBeenCalled();
  });

  it('a window of ours whose page is not the app', async () => {
    for (const url of ['https://evil.example/#cashier', 'file:///tmp/index.html#cashier', 'about:blank']) {
      cashier.navigate(url);
      await expect(call(cashier, 'app:status')).resolves.toEqual(REFUSED);
    }
    expect(handlers['app:status']).not.toHaveBeenCalled();
  });

  it('web contents that are not one of our windows, even showing the app', async () => {
    const stranger = showing(new FakeWebContents(), `${INDEX}#cashier`);
    await expect(call(stranger, 'app:status')).resolves.toEqual(REFUSED);
    await expect(call(stranger, 'display:state')).resolves.toEqual(REFUSED);
    expect(handlers['app:status']).not.toHaveBeenCalled();
    expect(handlers['display:state']).not.toHaveBeenCalled();
  });
});

describe('the customer display window', () => {
  it('may call only CUSTOMER_CHANNELS', async () => {
    for (const channel of CHANNEL_NAMES) {
      const answer = await call(customer, channel, VALID[channel]);
      if (CUSTOMER_CHANNELS.includes(channel)) expect(answer).toEqual(ok({ channel, input: undefined }));
      else expect(answer, channel).toEqual(REFUSED);
    }
    const called = CHANNEL_NAMES.filter((c) => (handlers[c]?.mock.calls.length ?? 0) > 0);
    expect(called).toEqual([...CUSTOMER_CHANNELS]);
  });
});
