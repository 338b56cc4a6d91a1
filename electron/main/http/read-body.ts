import type { IncomingMessage } from 'node:http';

/**
 * Reads a request's whole body as UTF-8, or null when it is larger than `limit` bytes. Past the
 * limit the rest is read and thrown away, so the sender still gets its 413 rather than a reset
 * connection.
 */
export function readLimitedBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
