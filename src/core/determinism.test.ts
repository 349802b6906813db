/** The same scenario and seed give the same trace and numbers; another seed gives another run. */
import { describe, expect, it } from 'vitest';
import { mustResolve } from './resolve-scenario';
import { simulate } from './simulate';
import { traceDigest } from './trace-digest';

describe('determinism', () => {
  for (const algorithm of ['precopy', 'postcopy', 'hybrid', 'stop-and-copy'] as const) {
    it(`should repeat a ${algorithm} run exactly for the same seed`, () => {
      const s = mustResolve({ vm: { memoryMiB: 256 }, workload: { workingSetMiB: 64 }, migration: { algorithm }, seed: 42 });
      const a = simulate(s);
      const b = simulate(s);
      expect(traceDigest(a.trace)).toBe(traceDigest(b.trace));
      expect(a.metrics).toEqual(b.metrics);
    });
  }

  it('should give a different run for a different seed', () => {
    const a = simulate(mustResolve({ vm: { memoryMiB: 256 }, workload: { workingSetMiB: 64 }, seed: 1 }));
    const b = simulate(mustResolve({ vm: { memoryMiB: 256 }, workload: { workingSetMiB: 64 }, seed: 2 }));
    expect(traceDigest(a.trace)).not.toBe(traceDigest(b.trace));
  });

  it('should match the golden digest of a seeded run (same value the browser test checks)', () => {
    const r = simulate(mustResolve(GOLDEN_SCENARIO));
    expect({ digest: traceDigest(r.trace), totalMs: r.metrics['total-time'] }).toMatchSnapshot();
  });
});

export const GOLDEN_SCENARIO = { vm: { memoryMiB: 128 }, workload: { workingSetMiB: 32 }, seed: 2026 } as const;
