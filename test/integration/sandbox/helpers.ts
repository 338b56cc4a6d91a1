import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../../electron/main/sandbox';

/**
 * Test helpers for the sandbox: a thin JSON client over real HTTP, shortcuts for the common
 * set-up steps, and a tiny webhook receiver. Nothing here stands in for sandbox code.
 */

export interface Res<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** Wire shapes, as the contract describes them (amounts in euros, dates as ISO strings). */
export interface ErrorBody {
  code: string;
  description: string;
}
export interface TokenBody {
  token_type: string;
  access_token: string;
  expires_in: number;
  refresh_token?: string;
}
export interface PayTokenBody {
  val: string;
  date_issued: string;
  date_expiring: string;
  charge_available: number;
}
export interface AuthorizationBody {
  id: string;
  pos_id: string;
  description: string;
  charge_amount: number;
  policy: string;
  charge_max_count: number;
  charge_date_start: string;
  charge_date_end?: string;
  merchant_custom_id?: string;
  webhooks?: Record<string, string>;
  loopback_uri?: string;
  status: string;
  charge_success_count: number;
  date_creation: string;
  date_last_update: string;
  sharing: string;
  pay_token?: PayTokenBody;
  charges: { id: string; amount: number; status: string }[];
  charge_id?: string;
}
export interface RefundBody {
  id: string;
  charge_id: string;
  amount: number;
  reason: string;
  status: string;
  date_creation: string;
  date_last_update: string;
}
export interface ChargeBody {
  id: string;
  authorization_id: string;
  pay_token_val?: string;
  amount: number;
  description: string;
  merchant_custom_id?: string;
  merchant_custom_label?: string;
  status: string;
  date_creation: string;
  date_done?: string;
  pos_id: string;
  merchant_business_name: string;
  payer_name: string;
  refund?: RefundBody;
}
export interface LedgerBody {
  charges: { id: string; authorization_id: string; pos_id: string; amount: number; status: string }[];
  refunds: { id: string; charge_id: string; pos_id: string; amount: number; status: string }[];
  totals: { charged: number; refunded: number; net: number };
}
export interface ConnectionBody {
  id: string;
  status: string;
  sharing: string;
  code?: string;
  pos_id?: string;
  webhooks?: Record<string, string>;
  loopback_uri?: string;
}

/** The description of an error reply, which should name what was wrong. */
export function descriptionOf(res: Res): string {
  return String((res.body as Partial<ErrorBody>).description);
}

/** Reads an error reply: the contract's (status, code) pair. */
export function errorOf(res: Res): { status: number; code: string } {
  const body = res.body as Partial<ErrorBody>;
  return { status: res.status, code: String(body.code) };
}

export interface CallOptions {
  body?: unknown;
  token?: string;
  form?: Record<string, string>;
  headers?: Record<string, string>;
  raw?: string;
}

export class SandboxClient {
  token = '';
  constructor(readonly sb: RunningSandbox) {}

  get creds() {
    return this.sb.credentials;
  }

  async call<T = unknown>(method: string, path: string, opts: CallOptions = {}): Promise<Res<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    let body: string | undefined;
    if (opts.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(opts.form).toString();
    } else if (opts.raw !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = opts.raw;
    } else if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    if (opts.token !== undefined) headers['authorization'] = `Bearer ${opts.token}`;
    const res = await fetch(this.sb.baseUrl + path, { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text !== '') parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  /** An authenticated merchant call with the client's current access token. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<Res<T>> {
    return this.call<T>(method, path, { body, token: this.token });
  }

  sim<T = unknown>(path: string, body?: unknown): Promise<Res<T>> {
    return this.call<T>('POST', `/_sim/${path}`, { body });
  }

  getAuthorization(id: string): Promise<Res<AuthorizationBody>> {
    return this.api<AuthorizationBody>('GET', `/shop/v1/pos/authorization/${id}`);
  }

  ledger(): Promise<Res<LedgerBody>> {
    return this.call<LedgerBody>('GET', '/_sim/ledger');
  }

  async grantCode(code = this.creds.connectionCode): Promise<Res<TokenBody>> {
    return this.call<TokenBody>('POST', '/oa2/v1/ac/token', {
      body: {
        grant_type: 'authorization_code',
        code,
        client_id: this.creds.applicationKey,
        client_secret: this.creds.applicationSecret,
        scope: 'app',
      },
    });
  }

  async login(): Promise<string> {
    const res = await this.grantCode();
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    this.token = res.body.access_token;
    return this.token;
  }

  async createAuthorization(fields: Record<string, unknown> = {}): Promise<Res<AuthorizationBody>> {
    return this.api<AuthorizationBody>('POST', '/shop/v1/pos/authorization', {
      pos_id: this.creds.posId,
      description: 'Caffè e cornetto',
      charge_amount: 2.5,
      ...fields,
    });
  }

  /** Creates, grants and reads back an authorization: ready to charge. */
  async grantedAuthorization(
    fields: Record<string, unknown> = {},
  ): Promise<AuthorizationBody & { pay_token: PayTokenBody }> {
    const created = await this.createAuthorization(fields);
    if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
    const granted = await this.sim(`authorization/${created.body.id}/grant`);
    if (granted.status !== 200) throw new Error(`grant failed: ${JSON.stringify(granted.body)}`);
    const read = await this.getAuthorization(created.body.id);
    const payToken = read.body.pay_token;
    if (!payToken) throw new Error('a granted authorization has no pay token');
    return { ...read.body, pay_token: payToken };
  }

  charge(
    auth: { id: string; pay_token?: { val: string } },
    amount: number,
    extra: Record<string, unknown> = {},
  ) {
    return this.api<ChargeBody>('POST', '/shop/v1/pos/charge', {
      authorization_id: auth.id,
      pay_token_val: auth.pay_token?.val,
      amount,
      description: 'Colazione',
      ...extra,
    });
  }

  /** A DONE charge of 2.50 € on a fresh authorization. */
  async doneCharge(): Promise<ChargeBody> {
    const auth = await this.grantedAuthorization();
    const res = await this.charge(auth, 2.5);
    if (res.status !== 201) throw new Error(`charge failed: ${JSON.stringify(res.body)}`);
    return res.body;
  }

  advance(seconds: number): Promise<Res> {
    return this.sim('clock/advance', { seconds });
  }
}

export async function startClient(options: SandboxOptions = {}): Promise<SandboxClient> {
  return new SandboxClient(await startSandbox(options));
}

export interface ReceivedEvent {
  etime: string;
  etype: string;
  edata: unknown;
  path: string;
}

/**
 * A webhook receiver. `statuses` are answered in turn (then 200), so a test can make the
 * first deliveries fail and watch the retries.
 */
export async function startReceiver(statuses: number[] = []) {
  const events: ReceivedEvent[] = [];
  const attempts: { path: string; status: number }[] = [];
  const waiters: (() => void)[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = statuses.shift() ?? 200;
      attempts.push({ path: req.url ?? '/', status });
      if (status >= 200 && status < 300) {
        const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<ReceivedEvent, 'path'>;
        events.push({ ...event, path: req.url ?? '/' });
      }
      res.writeHead(status).end();
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    events,
    attempts,
    /** Resolves once `predicate` holds, or fails after `ms`. */
    async until(predicate: () => boolean, ms = 5000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`receiver: condition not met in ${ms} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
