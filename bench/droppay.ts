import { MemoryCredentialStore } from '../electron/main/credentials';
import { createDropPayClient } from '../electron/main/droppay';
import { loadClient } from './lib/http-load';
import { atLeast, atMost, type BenchRow } from './lib/report';
import { sandboxToken, spawnSandbox } from './lib/sandbox-process';
import { median, throughput, timeEach } from './lib/timing';

const CALLS = 1500;
const WARMUP = 200;
const THROUGHPUT_MS = 3000;
const CONCURRENCY = 32;

/**
 * Client overhead: the same GET of an authorization through the DropPay client (token manager,
 * retry policy, response validation, cents conversion) and as a bare fetch, in the same run
 * against the same sandbox process. Sandbox throughput: create-authorization and GET on
 * loopback against one sandbox process (one core).
 */
export async function droppayBenches(): Promise<BenchRow[]> {
  const sb = await spawnSandbox();
  try {
    const bearer = await sandboxToken(sb);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${bearer}` };
    const createBody = JSON.stringify({ pos_id: sb.posId, description: 'Bench', charge_amount: 12.5 });
    const create = async (): Promise<string> => {
      const res = await fetch(`${sb.baseUrl}/shop/v1/pos/authorization`, {
        method: 'POST',
        headers,
        body: createBody,
      });
      if (res.status !== 201) throw new Error(`create: HTTP ${res.status}`);
      return ((await res.json()) as { id: string }).id;
    };
    const id = await create();
    const bareGet = async (): Promise<void> => {
      const res = await fetch(`${sb.baseUrl}/shop/v1/pos/authorization/${id}`, { headers });
      if (res.status !== 200) throw new Error(`get: HTTP ${res.status}`);
      await res.json();
    };

    const store = new MemoryCredentialStore();
    await store.set('applicationKey', sb.applicationKey);
    await store.set('applicationSecret', sb.applicationSecret);
    await store.set('connectionCode', sb.connectionCode);
    await store.set('posId', sb.posId);
    const client = createDropPayClient({ baseUrl: sb.baseUrl, store });
    const clientGet = (): Promise<unknown> => client.authorizations.get(id);

    await timeEach(WARMUP, bareGet);
    await timeEach(WARMUP, clientGet);
    // Interleave the two in blocks so drift (GC, CPU frequency) hits both alike.
    const bare: number[] = [];
    const viaClient: number[] = [];
    for (let block = 0; block < 5; block++) {
      bare.push(...(await timeEach(CALLS / 5, bareGet)));
      viaClient.push(...(await timeEach(CALLS / 5, clientGet)));
    }
    const bareMs = median(bare);
    const clientMs = median(viaClient);

    // The same two requests from a lean client: fetch itself saturates near the goal (see http-load).
    const load = loadClient(sb.baseUrl, CONCURRENCY);
    const createPath = '/shop/v1/pos/authorization';
    const loadCreate = async (): Promise<void> => {
      const reply = await load.call('POST', createPath, headers, createBody);
      if (reply.status !== 201) throw new Error(`create: HTTP ${reply.status}`);
    };
    const loadGet = async (): Promise<void> => {
      const reply = await load.call('GET', `${createPath}/${id}`, headers);
      if (reply.status !== 200) throw new Error(`get: HTTP ${reply.status}`);
    };
    let createRate: number;
    let getRate: number;
    try {
      createRate = await throughput(THROUGHPUT_MS, CONCURRENCY, loadCreate);
      getRate = await throughput(THROUGHPUT_MS, CONCURRENCY, loadGet);
    } finally {
      load.close();
    }

    return [
      atMost(
        'client overhead per GET (client / bare fetch)',
        clientMs / bareMs,
        'ratio',
        1.3,
        `median ${clientMs.toFixed(3)} ms vs ${bareMs.toFixed(3)} ms, ${CALLS} calls each`,
      ),
      atLeast(
        'sandbox create-authorization throughput',
        Math.round(createRate),
        'req/s',
        2000,
        `${CONCURRENCY} concurrent, node:http keep-alive`,
      ),
      atLeast(
        'sandbox GET authorization throughput',
        Math.round(getRate),
        'req/s',
        2000,
        `${CONCURRENCY} concurrent, node:http keep-alive`,
      ),
    ];
  } finally {
    await sb.stop();
  }
}
