/**
 * Mechanisms behind Hu et al.'s findings that the findings themselves (findings/*.ts, one test each in
 * findings/findings.test.ts) do not pin down: the cap's cancel, fault accounting, today's estimate.
 */
import { describe, expect, it } from 'vitest';
import { mustResolve } from './resolve-scenario';
import type { CipherId, ScenarioInput } from './scenario-types';
import { simulate } from './simulate';

const F1 = { name: 'F1', speed: 1 };
const F2 = { name: 'F2', speed: 1 };
const run = (input: ScenarioInput) => simulate(mustResolve(input)).metrics;
/**
 * Hu et al.'s testbed: migration through an SSH tunnel, and Yabusame's post-copy, which serves a
 * faulting page on its own connection rather than behind the pages already being pushed.
 */
const writeVm = (cipher: CipherId, src = F1, dst = F2, extra: ScenarioInput = {}) =>
  run({ source: src, destinations: [dst], cipher, transport: 'ssh-tunnel', workload: { kind: 'write', workingSetMiB: 128 }, ...extra, migration: { postcopyPreempt: true, ...extra.migration } });

describe('Hu et al.: pre-copy caps', () => {
  it('should cancel instead of forcing stop-and-copy when told to', () => {
    const m = writeVm('3des', F1, F2, { migration: { onNoConvergence: 'cancel' } });
    expect(m.status).toBe('cancelled');
    expect(m.downtime).toBe(0);
  });
});

describe('post-copy faults', () => {
  it('should count network and minor faults apart, and send every page at most once', () => {
    const r = simulate(mustResolve({ workload: { kind: 'write', workingSetMiB: 128 }, migration: { algorithm: 'postcopy' } }));
    expect(r.metrics.ram['postcopy-requests']).toBeGreaterThan(0);
    expect(r.metrics.minorFaults).toBeGreaterThan(0);
    const seen = new Uint8Array(r.trace.pageCount);
    let repeats = 0;
    for (const p of r.trace.sends.page) repeats += seen[p]!++ > 0 ? 1 : 0;
    expect(repeats).toBe(0);
    expect(r.trace.sends.page.length).toBe(r.trace.pageCount);
  });
});

describe('QEMU 7.2’s downtime estimate', () => {
  it('should estimate the downtime within a third on QEMU 7.2, which counts bytes written over 100 ms windows', () => {
    for (const cipher of ['none', 'aes-gcm'] as const) {
      const m = writeVm(cipher, F1, F2, { migration: { downtimeLimitMs: 30 } });
      expect(m.guestDowntime / m['expected-downtime']!).toBeLessThan(1.34);
    }
  });
});
