/**
 * Measured against predicted: every measured run fed to the model through the testbed mapping, and the
 * errors the validation reports (relative errors on time and bytes, the outcome, syncs, downtime,
 * post-copy requests). Pure: `npm run validate`, the tests and the validation view all use it.
 */
import { mustResolve } from '../resolve-scenario';
import type { Scenario } from '../scenario-types';
import { simulate, type RunResult } from '../simulate';
import type { MeasuredRun } from './measured-run';
import { scenarioForRun, SERIES, type FittedFigures, type Series } from './qemu-testbed';

/** How close a completed run's time and bytes must be: ±20 %. */
export const TOLERANCE = 0.2;

export interface Comparison {
  run: MeasuredRun;
  scenario: Scenario;
  predicted: {
    status: 'completed' | 'cancelled';
    totalMs: number;
    transferred: number;
    downtimeMs: number;
    expectedDowntimeMs: number | null;
    syncs: number;
    normal: number;
    duplicate: number;
    postcopyRequests: number;
  };
  /** (predicted − measured) ÷ measured, for completed runs. */
  timeError: number | null;
  bytesError: number | null;
  outcomeRight: boolean;
  /** Completed runs: time and bytes within ±20 %; cancelled runs: predicted cancelled too. */
  withinTolerance: boolean;
}

const rel = (p: number, m: number | null): number | null => (m === null || m === 0 ? null : (p - m) / m);

export function predictRun(run: MeasuredRun, seed = 1, series: Series = SERIES.v1, fitted: Partial<FittedFigures> = {}): RunResult {
  return simulate(mustResolve(scenarioForRun(run, seed, series, fitted)), { trace: false });
}

export function compareRun(run: MeasuredRun, result?: RunResult, seed = 1, series: Series = SERIES.v1, fitted: Partial<FittedFigures> = {}): Comparison {
  result ??= predictRun(run, seed, series, fitted);
  const m = result.metrics;
  const predicted = {
    status: m.status,
    totalMs: m['total-time'],
    transferred: m.ram.transferred,
    downtimeMs: m.downtime,
    expectedDowntimeMs: m['expected-downtime'],
    syncs: m.ram['dirty-sync-count'],
    normal: m.ram.normal,
    duplicate: m.ram.duplicate,
    postcopyRequests: m.ram['postcopy-requests'],
  };
  const completed = run.status === 'completed';
  const timeError = completed ? rel(predicted.totalMs, run.totalMs) : null;
  const bytesError = completed ? rel(predicted.transferred, run.transferred) : null;
  const outcomeRight = predicted.status === run.status;
  const close = (e: number | null): boolean => e !== null && Math.abs(e) <= TOLERANCE;
  return {
    run,
    scenario: result.scenario,
    predicted,
    timeError,
    bytesError,
    outcomeRight,
    withinTolerance: outcomeRight && (!completed || (close(timeError) && close(bytesError))),
  };
}

export function validateRuns(runs: readonly MeasuredRun[], series: Series = SERIES.v1, fitted: Partial<FittedFigures> = {}): Comparison[] {
  return runs.map((r) => compareRun(r, undefined, 1, series, fitted));
}
