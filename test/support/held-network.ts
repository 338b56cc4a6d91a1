/**
 * A network fault the sandbox cannot stage: a request that leaves the till and reaches DropPay
 * late, after the till has given up on it and read DropPay back. The next request matching
 * `hold(method, path)` is kept instead of sent; the caller sees nothing until its own timeout
 * aborts it, as with a slow link. `release()` then delivers the very same request to the real
 * sandbox, which acts on it as if it had just arrived. Everything else passes straight through.
 */

export interface HeldRequest {
  method: string;
  path: string;
}

export interface HeldNetwork {
  fetch: typeof fetch;
  /** Holds back the next request with this method and path. */
  hold(method: string, path: string): void;
  /** Resolves once a request has been held back. */
  held(): Promise<HeldRequest>;
  /** Delivers the held request now; resolves with the sandbox's HTTP status. */
  release(): Promise<number>;
}

export function heldNetwork(inner: typeof fetch = fetch): HeldNetwork {
  let wanted: HeldRequest | null = null;
  let kept: { input: string | URL | Request; init: RequestInit | undefined; what: HeldRequest } | null = null;
  let announce: ((what: HeldRequest) => void) | null = null;
  let announced: Promise<HeldRequest> = new Promise((resolve) => (announce = resolve));

  const wrapped = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? 'GET';
    if (wanted === null || wanted.method !== method || wanted.path !== url.pathname) {
      return inner(input, init);
    }
    const what = { method, path: url.pathname };
    wanted = null;
    kept = { input, init, what };
    announce?.(what);
    // Nothing comes back: only the caller's own timeout ends the wait.
    return new Promise<Response>((_resolve, reject) => {
      const signal = init?.signal;
      const abort = (): void => {
        const reason: unknown = signal?.reason;
        reject(reason instanceof Error ? reason : new Error('aborted'));
      };
      if (signal?.aborted) abort();
      else signal?.addEventListener('abort', abort, { once: true });
    });
  };

  return {
    fetch: wrapped,
    hold(method, path) {
      wanted = { method, path };
      announced = new Promise((resolve) => (announce = resolve));
    },
    held: () => announced,
    async release() {
      if (kept === null) throw new Error('no request is held');
      const { input, init } = kept;
      kept = null;
      // The request as it left, minus the caller's abort signal: the caller is long gone.
      const { signal: _gone, ...rest } = init ?? {};
      void _gone;
      const res = await inner(input, rest);
      await res.text();
      return res.status;
    },
  };
}
