/**
 * Makes a torture child cheap to start, because the random-kill test starts a thousand of them.
 *
 * 1. esbuild bundles test/support/torture-child.ts and the real core it imports into one
 *    CommonJS file, once per test process (no TypeScript loader at start, one file to read).
 *    The native modules stay external and load from the project's node_modules, which is why
 *    the bundle is written under node_modules/.cache.
 * 2. A tiny loader compiles that file with a V8 code cache made right after bundling, so each
 *    start skips most parsing and compiling: about half the CPU of a plain `node bundle.cjs`.
 *
 * Measured on a 2-core CI-class machine: `node --import tsx child.ts` ~480 ms to first line,
 * plain bundle ~170 ms, bundle + code cache ~90 ms.
 */
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHILD_ENV } from './torture-protocol';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs the bundle named in argv[2] with the code cache beside it (made when MAKE_CACHE is set). */
const LOADER = `'use strict';
const fs = require('node:fs');
const vm = require('node:vm');
const { createRequire } = require('node:module');
const file = process.argv[2];
const cacheFile = file + '.v8cache';
let cachedData;
try { cachedData = fs.readFileSync(cacheFile); } catch {}
const source = '(function (exports, require, module, __filename, __dirname) {' + fs.readFileSync(file, 'utf8') + '\\n})';
const script = new vm.Script(source, { filename: file, cachedData });
if (process.env.TORTURE_MAKE_CACHE === '1') {
  process.on('exit', () => fs.writeFileSync(cacheFile, script.createCachedData()));
}
const mod = { exports: {} };
script.runInThisContext()(mod.exports, createRequire(file), mod, file, require('node:path').dirname(file));
`;

export interface ChildProgram {
  /** What to run: `node <args...>`. */
  args: string[];
}

let built: Promise<ChildProgram> | undefined;

/**
 * The bundle and its loader. `baseUrl` is a provisioned sandbox: one warm-up child runs a few
 * sales there (on a throw-away journal) so the code cache holds the functions a life runs, not
 * only the top level.
 */
export function childBundle(baseUrl: string): Promise<ChildProgram> {
  built ??= (async () => {
    const dir = join(root, 'node_modules/.cache/droppay-torture');
    mkdirSync(dir, { recursive: true });
    // Two vitest workers may bundle at once: each writes its own files.
    const out = join(dir, `child-${process.pid}.cjs`);
    const temp = `${out}.tmp`;
    const result = await build({
      entryPoints: [join(root, 'test/support/torture-child.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['better-sqlite3', 'keytar'],
      // import('keytar') becomes require(): a vm.Script has no dynamic-import hook on Node 20.
      supported: { 'dynamic-import': false },
      outfile: temp,
      logLevel: 'silent',
    });
    if (result.errors.length > 0)
      throw new Error(`bundling the torture child failed: ${result.errors[0]?.text}`);
    renameSync(temp, out);
    const loader = join(dir, 'loader.cjs');
    writeFileSync(`${loader}.${process.pid}`, LOADER);
    renameSync(`${loader}.${process.pid}`, loader);
    // Extra V8/Node flags for experiments; the cache must be made with the same ones.
    const flags = (process.env.TORTURE_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '');
    const args = [...flags, loader, out];
    await makeCodeCache(args, baseUrl);
    return { args };
  })();
  return built;
}

/** Runs one child through a short stream of sales, then lets it exit and write the code cache. */
async function makeCodeCache(args: string[], baseUrl: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'droppay-torture-warmup-'));
  try {
    const child = spawn(process.execPath, args, {
      env: childEnv({ TORTURE_MAKE_CACHE: '1', [CHILD_ENV.hold]: '1', [CHILD_ENV.baseUrl]: baseUrl }),
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    let out = '';
    child.stdout.setEncoding('utf8');
    const saw = (what: string): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => {
          if (out.includes(what)) {
            child.stdout.off('data', onData);
            resolve();
          }
        };
        const onData = (chunk: string): void => {
          out += chunk;
          check();
        };
        child.stdout.on('data', onData);
        check();
      });
    const timeout = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await Promise.race([saw('"booted"'), exited]);
    child.stdin.write(`${JSON.stringify({ op: 'go', journal: join(dir, 'warmup.sqlite') })}\n`);
    child.stdin.write(`${JSON.stringify({ op: 'stream', options: { seed: 7, lanes: 3 } })}\n`);
    await Promise.race([saw('"ready"'), exited]);
    await new Promise((resolve) => setTimeout(resolve, 600));
    // Closing stdin makes the child exit normally, which writes the cache.
    child.stdin.end();
    await exited;
    clearTimeout(timeout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Removes this process's bundle and code cache (the shared loader stays). */
export async function disposeChildBundle(): Promise<void> {
  const program = await built?.catch(() => undefined);
  built = undefined;
  const bundle = program?.args.at(-1);
  if (bundle === undefined) return;
  rmSync(bundle, { force: true });
  rmSync(`${bundle}.v8cache`, { force: true });
}

/**
 * The environment of a child: the test's own (D-Bus address and HOME of the private keyring),
 * minus what only slows a Node start down or would load a TypeScript loader into it.
 */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  // Loading a CA bundle costs ~40 ms per start; the child only talks HTTP on loopback.
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}
