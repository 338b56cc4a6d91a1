import { droppayBenches } from './droppay';
import { paymentsBenches } from './payments';
import { reconciliationBenches } from './reconciliation';
import { uiBenches } from './ui';
import { renderTable, type BenchRow } from './lib/report';

// `npm run bench`: speed and memory goals, measured against a raw baseline in the same run and
// printed as a table. Not part of `npm test`: a slow machine should not turn the tests red.

const suites: [string, () => Promise<BenchRow[]>][] = [
  ['droppay', droppayBenches],
  ['reconciliation', reconciliationBenches],
  ['payments', paymentsBenches],
  ['ui', uiBenches],
];

async function main(): Promise<void> {
  const only = process.argv[2];
  const rows: BenchRow[] = [];
  for (const [name, run] of suites) {
    if (only && only !== name) continue;
    process.stderr.write(`running ${name}…\n`);
    rows.push(...(await run()));
  }
  console.log(renderTable(rows));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
