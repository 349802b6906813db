/**
 * Runs the simulation core off the main thread, so a 1 GiB run never freezes the page. The trace's
 * typed arrays are transferred back, not copied.
 */
import { expose, transfer } from 'comlink';
import { resolveScenario, simulate, sweepWorkingSet, traceDigest, type FieldError, type RunResult, type SweepPoint } from '../src/core/index';

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

  /** Total time and downtime against working-set size, per cipher (headless runs of the core). */
  sweep(input: unknown): SweepPoint[] {
    const resolved = resolveScenario(input, { fromText: true });
    return resolved.ok ? sweepWorkingSet(resolved.scenario) : [];
  },
};

export type SimApi = typeof simApi;
export type { SweepPoint };
expose(simApi);
