/**
 * DropPay errors: an HTTP status plus a string code whose meaning restarts under each status
 * (see the table in the API contract), and a description that names what was wrong.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status}/${code}: ${description}`);
  }

  toBody(): { code: string; description: string } {
    return { code: this.code, description: this.description };
  }
}

export const fail = {
  missing: (field: string): ApiError => new ApiError(400, '100', `missing argument: ${field}`),
  wrong: (field: string, why: string): ApiError =>
    new ApiError(400, '101', `wrong argument: ${field} ${why}`),
  wrongDate: (field: string, why: string): ApiError =>
    new ApiError(400, '102', `wrong date: ${field} ${why}`),
  credentials: (why: string): ApiError => new ApiError(401, '100', `wrong credentials: ${why}`),
  token: (why: string): ApiError => new ApiError(401, '102', `access token ${why}`),
  notYours: (what: string): ApiError => new ApiError(403, '101', `${what} belongs to another POS`),
  notAllowed: (why: string): ApiError => new ApiError(403, '200', why),
  outOfScope: (why: string): ApiError => new ApiError(403, '201', why),
  alreadyRefunded: (chargeId: string): ApiError =>
    new ApiError(403, '202', `charge ${chargeId} already has a refund`),
  notFound: (what: string): ApiError => new ApiError(404, '100', `no such resource: ${what}`),
  payToken: (why: string): ApiError => new ApiError(410, '200', `pay token ${why}`),
  tooLarge: (limit: number): ApiError => new ApiError(413, '100', `request body larger than ${limit} bytes`),
  methodNotAllowed: (method: string, path: string, allow: readonly string[]): ApiError =>
    new ApiError(405, '100', `method ${method} not allowed on ${path}`, { allow: allow.join(', ') }),
  loopbackOnly: (): ApiError => new ApiError(403, '101', 'control endpoints answer loopback callers only'),
  unavailable: (): ApiError => new ApiError(503, '100', 'service unavailable (simulated fault)'),
} as const;
