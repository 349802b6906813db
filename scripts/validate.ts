/**
 * `npm run validate [-- --cv] [-- --series v1|v2] [runs.csv]`: every measured QEMU migration predicted by
 * the model, with the errors — the controlled-start series (qemu-7.2-v2) first, then the first series.
 * `--cv` also refits the testbed's fitted figures leaving each cell out and predicts that cell (the
 * out-of-sample figure, printed first). Exits 1 when a run of the first series, on the shipped fit, is
 * off by more than ±20 % or an outcome is wrong (the figure the tests hold).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseRunsCsv, type MeasuredRun } from '../src/core/validation/measured-run';
import { validateRuns, TOLERANCE, type Comparison } from '../src/core/validation/compare';
import { formatTable } from '../src/core/validation/report';
import { SERIES, type Series } from '../src/core/validation/qemu-testbed';
import { crossValidate, fitTestbed, score } from '../src/core/validation/fit';

const args = process.argv.slice(2);
const cv = args.includes('--cv');
/** `--write`: keep the out-of-sample figures in src/core/validation/cv-summary.json (the view shows them first). */
const write = args.includes('--write');
const summary: Record<string, { outOfSample: ReturnType<typeof score>; inSample: ReturnType<typeof score>; recvPageUs: [number, number]; busyGuestThreads: number[]; runs: number }> = {};
const only = args.includes('--series') ? args[args.indexOf('--series') + 1] : null;
const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--series');
const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

function read(path: string): MeasuredRun[] {
  const parsed = parseRunsCsv(readFileSync(path, 'utf8'));
  if (!parsed.ok) {
    process.stderr.write(`cannot read ${path}: ${parsed.error}\n`);
    process.exit(2);
  }
  return parsed.runs;
}

const line = (label: string, rows: Comparison[], runs: MeasuredRun[]): string => {
  const s = score(rows, runs);
  const plain = rows.filter((r) => r.withinTolerance).length;
  return `${label}: ${plain} of ${s.runs} runs within ±${TOLERANCE * 100} % with the right outcome; ${s.within} of ${s.completed} completed runs within ±20 % or inside their cell's measured spread (+15 %); ${s.outcomes} of ${s.runs} outcomes right.`;
};

const sets: [string, Series, string][] = file
  ? [[file, SERIES.v1, file]]
  : ([
      ['qemu-7.2-v2', SERIES.v2, here('../src/core/validation/qemu-7.2-v2/runs.csv')],
      ['qemu-7.2', SERIES.v1, here('../src/core/validation/qemu-7.2/runs.csv')],
    ] as [string, Series, string][]).filter(([n]) => !only || (only === 'v2' ? n.endsWith('v2') : !n.endsWith('v2')));

let failed = false;
for (const [name, series, path] of sets) {
  const runs = read(path);
  process.stdout.write(`\n== ${name}: ${series.name}, ${runs.length} runs ==\n`);
  if (cv) {
    const out = crossValidate(runs, series, (cell, i, n) => process.stderr.write(`  refitting without ${cell} (${i + 1}/${n})\r`));
    process.stderr.write('\n');
    process.stdout.write(`${line('Out of sample (leave one cell out)', out.rows, runs)}\n`);
    const recv = out.fits.map((f) => f.fitted.recvPageUs);
    process.stdout.write(`  refitted recvPageUs ${Math.min(...recv)}–${Math.max(...recv)} µs; busyGuestThreads ${[...new Set(out.fits.map((f) => f.fitted.busyGuestThreads))].join('/')}\n`);
    const all = fitTestbed(runs, series);
    const rows = validateRuns(runs, series, all);
    process.stdout.write(`${line(`In sample, fitted to every cell (recvPageUs ${all.recvPageUs} µs, busyGuestThreads ${all.busyGuestThreads})`, rows, runs)}\n`);
    summary[name] = { outOfSample: score(out.rows, runs), inSample: score(rows, runs), recvPageUs: [Math.min(...recv), Math.max(...recv)], busyGuestThreads: [...new Set(out.fits.map((f) => f.fitted.busyGuestThreads))], runs: runs.length };
  }
  const shipped = validateRuns(runs, series);
  process.stdout.write(`${formatTable(shipped)}\n${line('With the shipped figures (this series’ own fit)', shipped, runs)}\n`);
  if (series === SERIES.v1 && shipped.some((r) => !r.withinTolerance)) failed = true;
}
if (write && cv) writeFileSync(here('../src/core/validation/cv-summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
process.exit(failed ? 1 : 0);
