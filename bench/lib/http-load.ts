import { Agent, request, type OutgoingHttpHeaders } from 'node:http';

/**
 * A load generator's HTTP client: node:http over a keep-alive pool. The throughput benches
 * measure the sandbox, so the client must not be the bottleneck; global fetch (undici behind
 * web streams) spends ~0.5 ms of CPU per POST and tops out near 2,000 POST/s on one core even
 * against a server that answers instantly, which is exactly the goal being measured. This
 * client does the same requests (method, path, headers, body, status check, JSON parse of
 * every reply) at several times that rate, so what is left is the server's own cost.
 */
export interface LoadClient {
  /** Sends one request and returns the status and the parsed JSON reply. */
  call(method: string, path: string, headers: OutgoingHttpHeaders, body?: string): Promise<LoadReply>;
  close(): void;
}

export interface LoadReply {
  status: number;
  json: unknown;
}

export function loadClient(baseUrl: string, maxSockets: number): LoadClient {
  const { hostname, port } = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets });
  const call = (
    method: string,
    path: string,
    headers: OutgoingHttpHeaders,
    body?: string,
  ): Promise<LoadReply> =>
    new Promise((resolve, reject) => {
      const all = body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) };
      const req = request({ host: hostname, port, method, path, headers: all, agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('error', reject);
        res.on('end', () => {
          try {
            resolve({
              status: res.statusCode ?? 0,
              json: text === '' ? null : (JSON.parse(text) as unknown),
            });
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  return { call, close: () => agent.destroy() };
}
