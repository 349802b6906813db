/**
 * Sweeps: the same scenario run headless over a range of one workload parameter, once per cipher —
 * the data behind "overhead against workload" plots. Pure, like every run.
 */
import { mergeInput } from './merge-input';
import { resolveScenario } from './resolve-scenario';
import type { CipherId, Scenario } from './scenario-types';
import { simulate } from './simulate';

export interface SweepPoint {
  cipher: CipherId;
  x: number;
  totalMs: number;
  downtimeMs: number;
  converged: boolean;
}

/** Working-set sizes swept (Hu et al. used 64–768 MB), limited to what the guest can hold. */
export const SWEEP_WORKING_SETS = [64, 128, 256, 384, 512, 768];

export function sweepWorkingSet(base: Scenario, ciphers: CipherId[] = ['none', 'aes-gcm', '3des']): SweepPoint[] {
  const points: SweepPoint[] = [];
  for (const cipher of ciphers) {
    for (const ws of SWEEP_WORKING_SETS) {
      const input = mergeInput(base as unknown as Record<string, unknown>, {
        cipher,
        workload: { kind: base.workload.kind === 'idle' ? 'write' : base.workload.kind, workingSetMiB: ws },
        // A sweep reports totals only: keep non-converging runs short.
        migration: { maxRounds: Math.min(base.migration.maxRounds, 30) },
        split: { pagingSeconds: 0 },
      });
      const r = resolveScenario(input);
      if (!r.ok) continue;
      const m = simulate(r.scenario, { trace: false }).metrics;
      points.push({ cipher, x: ws, totalMs: m['total-time'], downtimeMs: m.downtime, converged: m.converged });
    }
  }
  return points;
}
