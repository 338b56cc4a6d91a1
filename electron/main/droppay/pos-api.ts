import { centsToEuros, MoneyError } from '../../../shared/money';
import { DropPayError, type HttpMethod } from './errors';
import type { HttpClient, RetryPolicy } from './http';
import type {
  Authorization,
  Brand,
  Charge,
  CreateAuthorizationInput,
  CreateChargeInput,
  CreateRefundInput,
  Refund,
  SentRequest,
} from './types';
import { authorizationSchema, brandsSchema, chargeSchema, parseWire, refundSchema } from './wire';

/** Runs one call with a bearer token; the client wraps it with the 401/102 renew-and-retry. */
export type Authed = <T>(call: (token: string) => Promise<T>) => Promise<T>;

const AUTHORIZATION = '/shop/v1/pos/authorization';
const CHARGE = '/shop/v1/pos/charge';
const REFUND = '/shop/v1/pos/refund';
const BRANDS = '/shop/v1/brands';

/** Authorizations, charges, refunds and brands: the POS half of the API. */
export class PosApi {
  constructor(
    private readonly http: HttpClient,
    private readonly authed: Authed,
    private readonly defaultPosId: () => Promise<string | undefined>,
  ) {}

  async createAuthorization(input: CreateAuthorizationInput): Promise<Authorization> {
    const posId = input.posId ?? (await this.defaultPosId());
    if (!posId) throw new DropPayError('NOT_CONFIGURED', { message: 'No POS id configured for this till' });
    const body = compact({
      pos_id: posId,
      description: input.description,
      charge_amount: wireAmount(input.amount, 'amount'),
      policy: input.policy,
      charge_max_count: input.chargeMaxCount,
      charge_date_start: input.chargeDateStart,
      charge_date_end: input.chargeDateEnd,
      merchant_custom_id: input.merchantCustomId,
      webhooks: input.webhooks,
      loopback_uri: input.loopbackUri,
    });
    const sent: SentRequest = { operation: 'authorization.create', input: { ...input, posId } };
    return this.send('POST', AUTHORIZATION, body, sent, (b, inDoubt) =>
      parseWire(authorizationSchema, b, {
        method: 'POST',
        path: AUTHORIZATION,
        what: 'authorization',
        inDoubt,
      }),
    );
  }

  /** Read it right before charging: a GET is what renews an expired pay token. */
  async getAuthorization(id: string): Promise<Authorization> {
    const path = `${AUTHORIZATION}/${seg(id)}`;
    return this.get(path, (b) =>
      parseWire(authorizationSchema, b, { method: 'GET', path, what: 'authorization' }),
    );
  }

  /** Cancels a WAITING authorization. DropPay may answer with the entity or with nothing. */
  async cancelAuthorization(id: string): Promise<Authorization | undefined> {
    const path = `${AUTHORIZATION}/${seg(id)}`;
    return this.send(
      'DELETE',
      path,
      undefined,
      { operation: 'authorization.cancel', input: { id } },
      (b, inDoubt) =>
        b === undefined
          ? undefined
          : parseWire(authorizationSchema, b, { method: 'DELETE', path, what: 'authorization', inDoubt }),
    );
  }

  async createCharge(input: CreateChargeInput): Promise<Charge> {
    const body = compact({
      authorization_id: input.authorizationId,
      pay_token_val: input.payTokenVal,
      amount: wireAmount(input.amount, 'amount'),
      description: input.description,
      merchant_custom_id: input.merchantCustomId,
      merchant_custom_label: input.merchantCustomLabel,
    });
    return this.send('POST', CHARGE, body, { operation: 'charge.create', input }, (b, inDoubt) =>
      parseWire(chargeSchema, b, { method: 'POST', path: CHARGE, what: 'charge', inDoubt }),
    );
  }

  async getCharge(id: string): Promise<Charge> {
    const path = `${CHARGE}/${seg(id)}`;
    return this.get(path, (b) => parseWire(chargeSchema, b, { method: 'GET', path, what: 'charge' }));
  }

  async createRefund(input: CreateRefundInput): Promise<Refund> {
    const body = {
      charge_id: input.chargeId,
      amount: wireAmount(input.amount, 'amount'),
      reason: input.reason,
    };
    return this.send('POST', REFUND, body, { operation: 'refund.create', input }, (b, inDoubt) =>
      parseWire(refundSchema, b, { method: 'POST', path: REFUND, what: 'refund', inDoubt }),
    );
  }

  async getRefund(id: string): Promise<Refund> {
    const path = `${REFUND}/${seg(id)}`;
    return this.get(path, (b) => parseWire(refundSchema, b, { method: 'GET', path, what: 'refund' }));
  }

  async listBrands(): Promise<Brand[]> {
    return this.get(BRANDS, (b) =>
      parseWire(brandsSchema, b, { method: 'GET', path: BRANDS, what: 'brand list' }),
    );
  }

  private get<T>(path: string, parse: (body: unknown) => T): Promise<T> {
    return this.authed(async (bearer) =>
      parse(await this.http.request({ method: 'GET', path, bearer, retry: 'idempotent' })),
    );
  }

  /** A state-changing call: never blindly repeated, and any doubt carries what was sent. */
  private async send<T>(
    method: HttpMethod,
    path: string,
    body: Record<string, unknown> | undefined,
    sent: SentRequest,
    parse: (body: unknown, inDoubt: boolean) => T,
  ): Promise<T> {
    const retry: RetryPolicy = 'unsafe';
    try {
      return await this.authed(async (bearer) =>
        parse(await this.http.request({ method, path, body, bearer, retry }), true),
      );
    } catch (err) {
      if (err instanceof DropPayError && (err.inDoubt || err.kind === 'OUTCOME_UNKNOWN'))
        throw err.withSent(sent);
      throw err;
    }
  }
}

/** Amounts leave as euros; a bad amount never leaves at all. */
function wireAmount(cents: number, field: string): number {
  if (!(Number.isSafeInteger(cents) && cents > 0)) {
    throw new DropPayError('VALIDATION', {
      field,
      message: `${field} must be a positive whole number of cents`,
    });
  }
  try {
    return centsToEuros(cents);
  } catch (err) {
    throw new DropPayError('VALIDATION', {
      field,
      message: err instanceof MoneyError ? err.message : `${field} is invalid`,
    });
  }
}

/** Optional fields the caller left out are not sent, so DropPay applies its own defaults. */
function compact(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

function seg(id: string): string {
  if (id === '') throw new DropPayError('VALIDATION', { field: 'id', message: 'id must not be empty' });
  return encodeURIComponent(id);
}
