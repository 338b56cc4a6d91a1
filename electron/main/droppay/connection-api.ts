import { DropPayError } from './errors';
import type { HttpClient } from './http';
import type { Authed } from './pos-api';
import type { Connection, CreateConnectionInput, SentRequest } from './types';
import { connectionSchema, parseWire } from './wire';

const CONNECTION = '/oa2/v1/connection';

/** Onboarding a merchant from inside the app; authenticated with the application token. */
export class ConnectionApi {
  constructor(
    private readonly http: HttpClient,
    private readonly appAuthed: Authed,
  ) {}

  async create(input: CreateConnectionInput = {}): Promise<Connection> {
    const body: Record<string, unknown> = {};
    if (input.webhooks) body.webhooks = input.webhooks;
    if (input.loopbackUri) body.loopback_uri = input.loopbackUri;
    const created = await this.send('POST', CONNECTION, body, { operation: 'connection.create', input });
    if (created) return created;
    throw new DropPayError('MALFORMED_RESPONSE', {
      method: 'POST',
      path: CONNECTION,
      field: '(body)',
      inDoubt: true,
      message: 'DropPay created a connection but sent no body',
    }).withSent({ operation: 'connection.create', input });
  }

  /** Once GRANTED the answer carries the connection code: hand it to the token manager, show it nowhere. */
  async get(id: string): Promise<Connection> {
    const path = `${CONNECTION}/${encodeURIComponent(id)}`;
    return this.appAuthed(async (bearer) =>
      parseWire(
        connectionSchema,
        await this.http.request({ method: 'GET', path, bearer, retry: 'idempotent' }),
        {
          method: 'GET',
          path,
          what: 'connection',
        },
      ),
    );
  }

  /** Cancels a WAITING connection. Returns the entity when DropPay sends one. */
  async cancel(id: string): Promise<Connection | undefined> {
    return this.send('DELETE', `${CONNECTION}/${encodeURIComponent(id)}`, undefined, {
      operation: 'connection.cancel',
      input: { id },
    });
  }

  private async send(
    method: 'POST' | 'DELETE',
    path: string,
    body: Record<string, unknown> | undefined,
    sent: SentRequest,
  ): Promise<Connection | undefined> {
    try {
      return await this.appAuthed(async (bearer) => {
        const answer = await this.http.request({ method, path, body, bearer, retry: 'unsafe' });
        if (answer === undefined && method === 'DELETE') return undefined;
        return parseWire(connectionSchema, answer, { method, path, what: 'connection', inDoubt: true });
      });
    } catch (err) {
      if (err instanceof DropPayError && err.inDoubt) throw err.withSent(sent);
      throw err;
    }
  }
}
