/**
 * Runs the simulation core off the main thread, so a 1 GiB run never freezes the page. The trace's
 * typed arrays are transferred back, not copied.
 */
import { expose, transfer } from 'comlink';
import { parseRunsCsv } from '../src/core/validation/measured-run';
import { validateRuns, type Comparison } from '../src/core/validation/compare';
import { parseTestbedFile, seriesForTestbed } from '../src/core/validation/testbed-file';
import { SERIES } from '../src/core/validation/qemu-testbed';
import { measurePoint, metricById, resolveScenario, simulate, traceDigest, type FieldError, type PointResult, type PointSpec, type RunResult } from '../src/core/index';

export type SimOutcome = { ok: true; run: RunResult; digest: string; wallMs: number } | { ok: false; errors: FieldError[] };

const simApi = {
  run(input: unknown): SimOutcome {
    const resolved = resolveScenario(input);
    if (!resolved.ok) return { ok: false, errors: resolved.errors };
    const t0 = performance.now();
    const run = simulate(resolved.scenario);
    const wallMs = performance.now() - t0;
    const t = run.trace;
    const buffers = [t.sends, t.dirties, t.skips, t.faults].flatMap((g) => Object.values(g).map((a: ArrayBufferView) => a.buffer as ArrayBuffer));
    const outcome: SimOutcome = { ok: true, run, digest: traceDigest(t), wallMs };
    return transfer(outcome, [...new Set(buffers)]);
  },

  /** The metrics of one run (a pinned run to compare); the input is checked by the resolver. */
  metrics(input: unknown): { ok: true; metrics: RunResult['metrics']; scenario: RunResult['scenario'] } | { ok: false; errors: FieldError[] } {
    const resolved = resolveScenario(input);
    if (!resolved.ok) return { ok: false, errors: resolved.errors };
    return { ok: true, metrics: simulate(resolved.scenario, { trace: false }).metrics, scenario: resolved.scenario };
  },

  /** Experiment points, run headless here (one worker of the pool); inputs are checked by the resolver. */
  points(points: PointSpec[], metric: string): PointResult[] {
    const m = metricById(String(metric));
    if (!m || !Array.isArray(points) || points.length > 2000) throw new Error('points: a list of at most 2,000 points and a known metric');
    return points.map((p) => measurePoint(p, m, (s) => simulate(s, { trace: false }).metrics));
  },

  /**
   * Every measured QEMU run predicted by the model (the validation view); the CSV, and the user's testbed
   * description when there is one (it replaces the series), are parsed and checked here.
   */
  validate(csv: unknown, seriesId: unknown = 'v1', testbedText: unknown = null): { ok: true; rows: Comparison[] } | { ok: false; error: string } {
    if (typeof csv !== 'string') return { ok: false, error: 'validate: the runs must be CSV text' };
    if (seriesId !== 'v1' && seriesId !== 'v2') return { ok: false, error: 'validate: the series must be v1 or v2' };
    if (testbedText !== null && typeof testbedText !== 'string') return { ok: false, error: 'validate: the testbed description must be text' };
    const testbed = testbedText === null ? null : parseTestbedFile(testbedText);
    if (testbed && !testbed.ok) return { ok: false, error: `the testbed description: ${testbed.error}` };
    const parsed = parseRunsCsv(csv, testbed?.ok ? testbed.testbed.memoryMiB : 256);
    if (!parsed.ok) return parsed;
    return { ok: true, rows: validateRuns(parsed.runs, testbed?.ok ? seriesForTestbed(testbed.testbed) : SERIES[seriesId]) };
  },
};

export type SimApi = typeof simApi;
export type { Comparison };
expose(simApi);
