#!/usr/bin/env node
// The one test command (`npm test`): unit + integration tests under vitest, then the browser
// tests under Playwright, all inside a private unlocked GNOME keyring so the real OS keychain
// is exercised without touching the user's own. Ends with the plain line CI reads:
// `N passed, N failed, N skipped`, summed from both runners' JSON reports.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

if (!process.env.DROPPAY_TEST_KEYRING) {
  if (process.platform !== 'linux') {
    console.error(
      'npm test needs a Secret Service keyring; on this platform run it where the OS keychain is unlocked,',
    );
    console.error('with DROPPAY_TEST_KEYRING=1 set to confirm.');
    process.exit(2);
  }
  const which = spawnSync('sh', ['-c', 'command -v dbus-run-session && command -v gnome-keyring-daemon'], {
    encoding: 'utf8',
  });
  if (which.status !== 0) {
    console.error(
      'npm test needs D-Bus and GNOME Keyring: sudo apt-get install dbus gnome-keyring libsecret-1-dev',
    );
    process.exit(2);
  }
  const child = spawnSync(
    'dbus-run-session',
    ['--', join(root, 'scripts/with-keyring.sh'), process.execPath, fileURLToPath(import.meta.url), ...args],
    { stdio: 'inherit', cwd: root },
  );
  process.exit(child.status ?? 1);
}

const reports = join(root, '.test-reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const vitestJson = join(reports, 'vitest.json');
const playwrightJson = join(reports, 'playwright.json');
const bin = (name) => join(root, 'node_modules/.bin', name);

const only = args[0]; // optional: 'vitest' or 'playwright'
const totals = { passed: 0, failed: 0, skipped: 0 };
let broken = false;

if (!only || only === 'vitest') {
  // Two passes. The torture suites (1,000 SIGKILLs, 200 fault schedules with a 30 ms client
  // timeout) run one file at a time after the rest: run side by side, each starves the other of
  // CPU on a 2-core machine, and the starvation itself becomes an extra, uncontrolled fault.
  const TORTURE = 'test/integration/payments/torture';
  const passes = [
    { json: vitestJson, args: ['--exclude', `${TORTURE}/**`] },
    { json: join(reports, 'vitest-torture.json'), args: [TORTURE, '--no-file-parallelism'] },
  ];
  for (const pass of passes) {
    const r = spawnSync(
      bin('vitest'),
      ['run', ...pass.args, '--reporter=default', '--reporter=json', `--outputFile.json=${pass.json}`],
      { stdio: 'inherit', cwd: root },
    );
    broken ||= !addVitest(pass.json, r.status);
  }
}

if (!only || only === 'playwright') {
  // The browser tests drive the built renderer: build it first so they never test stale files.
  const build = spawnSync(bin('electron-vite'), ['build', '--logLevel', 'warn'], {
    stdio: 'inherit',
    cwd: root,
  });
  if (build.status !== 0) broken = true;
  const r = spawnSync(bin('playwright'), ['test'], {
    stdio: 'inherit',
    cwd: root,
  });
  broken ||= !addPlaywright(playwrightJson, r.status);
}

console.log('');
if (broken) console.log('a test runner failed without a complete report (see above)');
// A runner that crashed without a report counts as one failure, so the line never reads green.
console.log(`${totals.passed} passed, ${totals.failed + (broken ? 1 : 0)} failed, ${totals.skipped} skipped`);
process.exit(broken || totals.failed > 0 ? 1 : 0);

/** Adds vitest's counts; false when the run broke without a usable report. */
function addVitest(file, status) {
  if (!existsSync(file)) return false;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += report.numFailedTests ?? 0;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A suite that failed to load (syntax error, import error) counts no test but fails the run.
  const failedSuites = (report.testResults ?? []).filter(
    (s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0,
  );
  totals.failed += failedSuites.length;
  return status === 0 || (report.numFailedTests ?? 0) + failedSuites.length > 0;
}

/** Adds Playwright's counts; false when the run broke without a usable report. */
function addPlaywright(file, status) {
  if (!existsSync(file)) return false;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const s = report.stats ?? {};
  totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
  totals.failed += s.unexpected ?? 0;
  totals.skipped += s.skipped ?? 0;
  const errors = (report.errors ?? []).length;
  totals.failed += errors;
  return status === 0 || (s.unexpected ?? 0) + errors > 0;
}
