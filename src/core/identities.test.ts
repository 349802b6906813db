/** Sanity identities of the model that any reader can check by hand. */
import { describe, expect, it } from 'vitest';
import { mustResolve } from './resolve-scenario';
import { simulate } from './simulate';

describe('sanity identities', () => {
  it('should take about 8.6 s to migrate an idle 1 GiB VM at 1 Gbit/s', () => {
    const m = simulate(mustResolve({
      cipher: 'none',
      workload: { kind: 'idle', backgroundDirtyPagesPerS: 0 },
      vm: { composition: { free: 0.4, zero: 0 } },
    })).metrics;
    // 262,144 pages × 4,104 bytes × 8 bits ÷ 1 Gbit/s = 8.607 s
    expect(m['total-time'] / 1000).toBeGreaterThan(8.55);
    expect(m['total-time'] / 1000).toBeLessThan(8.75);
    expect(m.ram.normal).toBe(262144);
  });

  it('should never converge when the dirty rate is at or above the effective send rate', () => {
    // Uncontended send rate at 1 Gbit/s with no cipher: 125e6 / 4104 ≈ 30,458 pages/s.
    for (const touchesPerS of [30_464, 46_080, 102_400]) {
      const m = simulate(mustResolve({ cipher: 'none', workload: { kind: 'write', workingSetMiB: 768, touchesPerS } })).metrics;
      expect(m.converged).toBe(false);
    }
  });

  it('should converge for the same VM when the dirty rate is well below the send rate', () => {
    const m = simulate(mustResolve({ cipher: 'none', workload: { kind: 'write', workingSetMiB: 768, touchesPerS: 10240 } })).metrics;
    expect(m.converged).toBe(true);
  });

  it('should send zero pages as QEMU does: an 8-byte header and a fill byte', () => {
    const m = simulate(mustResolve({ cipher: 'none', workload: { kind: 'idle' }, migration: { algorithm: 'stop-and-copy' } })).metrics;
    expect(m.ram.duplicate).toBeGreaterThan(0);
    // QEMU's ram.transferred counts RAM pages only; the device state travels apart.
    expect(m.ram.transferred).toBe(m.ram.normal * 4104 + m.ram.duplicate * 9);
    expect(m.stateBytes).toBe(48 * 1024);
  });

  it('should make stop-and-copy downtime the whole transfer', () => {
    const m = simulate(mustResolve({ migration: { algorithm: 'stop-and-copy' } })).metrics;
    expect(m.downtime).toBeGreaterThan(0.95 * m['total-time']);
  });

  it('should throttle with auto-converge and then converge where plain pre-copy does not', () => {
    const input = { cipher: 'none' as const, workload: { kind: 'write' as const, workingSetMiB: 512, touchesPerS: 46080 } };
    expect(simulate(mustResolve(input)).metrics.converged).toBe(false);
    const m = simulate(mustResolve({ ...input, migration: { autoConverge: true } })).metrics;
    expect(m.converged).toBe(true);
    expect(Math.max(...m.rounds.map((r) => r.throttle))).toBeGreaterThanOrEqual(0.2);
  });

  it('should stop by the Xen rule within 29 rounds', () => {
    const m = simulate(mustResolve({ cipher: '3des', migration: { stopRule: 'xen' } })).metrics;
    expect(m.rounds.length).toBeLessThanOrEqual(29);
    expect(m.status).toBe('completed');
  });

  it('should switch a hybrid run to post-copy after its pre-copy rounds', () => {
    const r = simulate(mustResolve({ migration: { algorithm: 'hybrid', hybridRounds: 2 } }));
    expect(r.metrics.rounds).toHaveLength(2);
    expect(r.trace.phases.some((p) => p.kind === 'postcopy')).toBe(true);
    expect(r.metrics.downtime).toBeLessThan(10);
  });
});
