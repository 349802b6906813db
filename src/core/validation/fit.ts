/**
 * Fitting the testbed figures the physics leaves unknown, and checking that the fit generalizes:
 * leave one cell out (both repetitions of a setting), refit on the rest, predict the cell.
 *
 * Fitted here, and only these: the receiving QEMU's CPU per normal page (`recvPageUs`; the send side,
 * the zero-page check and the socket copy are measured or follow from the downtime, see
 * qemu-testbed.ts) and the host threads a busy TCG guest keeps busy (`busyGuestThreads`, 0 to 2). The
 * objective is the squared log error of time and bytes over the completed training runs (a cancelled
 * run has no time to fit; its outcome is checked, not fitted).
 */
import type { MeasuredRun } from './measured-run';
import { compareRun, type Comparison } from './compare';
import { TCG_TESTBED, type FittedFigures, type Series } from './qemu-testbed';

/** A cell: the setting without its repetition number (write-64-5000-1 and -2 are one cell). */
export const cellOf = (tag: string): string => tag.replace(/-\d+$/, '');

function loss(runs: readonly MeasuredRun[], series: Series, f: FittedFigures): number {
  let sum = 0;
  for (const r of runs) {
    if (r.status !== 'completed') continue;
    const c = compareRun(r, undefined, 1, series, f);
    if (c.predicted.status !== 'completed' || !r.totalMs || !r.transferred) {
      sum += 4;
      continue;
    }
    sum += Math.log(c.predicted.totalMs / r.totalMs) ** 2 + Math.log(c.predicted.transferred / r.transferred) ** 2;
  }
  return sum;
}

/** Golden-section search of recvPageUs in [2, 40] µs for each thread count; the best pair. */
export function fitTestbed(runs: readonly MeasuredRun[], series: Series): FittedFigures & { loss: number } {
  let best: FittedFigures & { loss: number } = { recvPageUs: TCG_TESTBED.cpu.recvPageUs, busyGuestThreads: TCG_TESTBED.busyGuestThreads, loss: Infinity };
  const g = (Math.sqrt(5) - 1) / 2;
  for (const busyGuestThreads of [0, 1, 2]) {
    let a = 2;
    let b = 40;
    let c = b - g * (b - a);
    let d = a + g * (b - a);
    let fc = loss(runs, series, { recvPageUs: c, busyGuestThreads });
    let fd = loss(runs, series, { recvPageUs: d, busyGuestThreads });
    for (let i = 0; i < 14; i++) {
      if (fc < fd) {
        b = d;
        d = c;
        fd = fc;
        c = b - g * (b - a);
        fc = loss(runs, series, { recvPageUs: c, busyGuestThreads });
      } else {
        a = c;
        c = d;
        fc = fd;
        d = a + g * (b - a);
        fd = loss(runs, series, { recvPageUs: d, busyGuestThreads });
      }
    }
    const recvPageUs = Number(((a + b) / 2).toFixed(2));
    const l = loss(runs, series, { recvPageUs, busyGuestThreads });
    if (l < best.loss) best = { recvPageUs, busyGuestThreads, loss: l };
  }
  return best;
}

export interface CrossValidated {
  /** Every run predicted by the fit made without its own cell. */
  rows: Comparison[];
  /** The figures fitted without each cell. */
  fits: { cell: string; fitted: FittedFigures }[];
}

/** Leave one cell out: refit on the other cells, predict the cell's runs. */
export function crossValidate(runs: readonly MeasuredRun[], series: Series, onCell?: (cell: string, i: number, n: number) => void): CrossValidated {
  const cells = [...new Set(runs.map((r) => cellOf(r.tag)))];
  const rows: Comparison[] = [];
  const fits: CrossValidated['fits'] = [];
  cells.forEach((cell, i) => {
    onCell?.(cell, i, cells.length);
    const train = runs.filter((r) => cellOf(r.tag) !== cell);
    const f = fitTestbed(train, series);
    const fitted = { recvPageUs: f.recvPageUs, busyGuestThreads: f.busyGuestThreads };
    fits.push({ cell, fitted });
    for (const r of runs) if (cellOf(r.tag) === cell) rows.push(compareRun(r, undefined, 1, series, fitted));
  });
  return { rows, fits };
}

/**
 * How a set of predictions scores: completed runs within ±20 % on time and bytes or inside the cell's
 * own measured spread widened by 15 %, and outcomes right.
 */
export function score(rows: readonly Comparison[], all: readonly MeasuredRun[]): { completed: number; within: number; outcomes: number; runs: number } {
  let completed = 0;
  let within = 0;
  let outcomes = 0;
  for (const c of rows) {
    if (c.outcomeRight) outcomes++;
    if (c.run.status !== 'completed') continue;
    completed++;
    const twins = all.filter((r) => cellOf(r.tag) === cellOf(c.run.tag) && r.status === 'completed' && r.totalMs && r.transferred);
    const spread = (get: (r: MeasuredRun) => number, v: number): boolean => {
      const xs = twins.map(get);
      const lo = Math.min(...xs) / 1.15;
      const hi = Math.max(...xs) * 1.15;
      return v >= lo && v <= hi;
    };
    const inSpread = spread((r) => r.totalMs!, c.predicted.totalMs) && spread((r) => r.transferred!, c.predicted.transferred);
    if (c.outcomeRight && (c.withinTolerance || inSpread)) within++;
  }
  return { completed, within, outcomes, runs: rows.length };
}
