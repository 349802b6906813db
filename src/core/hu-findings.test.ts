/**
 * The findings of Hu et al., "Performance Analysis of Encryption in Securing the Live Migration of
 * Virtual Machines" (testbed: 1 Gbit/s, 1 GB VM, fast hosts F1/F2 and slow host S), reproduced by the model.
 */
import { describe, expect, it } from 'vitest';
import { mustResolve } from './resolve-scenario';
import type { CipherId, ScenarioInput } from './scenario-types';
import { simulate } from './simulate';

const F1 = { name: 'F1', speed: 1 };
const F2 = { name: 'F2', speed: 1 };
const S = { name: 'S', speed: 0.55 };
const run = (input: ScenarioInput) => simulate(mustResolve(input)).metrics;
/**
 * Hu et al.'s testbed: migration through an SSH tunnel, and Yabusame's post-copy, which serves a
 * faulting page on its own connection rather than behind the pages already being pushed.
 */
const writeVm = (cipher: CipherId, src = F1, dst = F2, extra: ScenarioInput = {}) =>
  run({ source: src, destinations: [dst], cipher, transport: 'ssh-tunnel', workload: { kind: 'write', workingSetMiB: 128 }, ...extra, migration: { postcopyPreempt: true, ...extra.migration } });

describe('Hu et al.: pre-copy of a write-intensive VM', () => {
  it('should converge within tens of seconds with AES at a 128 MB working set', () => {
    const m = writeVm('aes-gcm');
    expect(m.converged).toBe(true);
    expect(m.status).toBe('completed');
    expect(m['total-time']).toBeLessThan(30_000);
  });

  it('should not converge with the 3DES-class cipher: the dirty set stops shrinking', () => {
    const m = writeVm('3des');
    expect(m.converged).toBe(false);
    const tail = m.rounds.slice(-10).map((r) => r.dirtied);
    const min = Math.min(...tail);
    const max = Math.max(...tail);
    expect(max / min).toBeLessThan(1.1); // flat, not shrinking
    expect(min).toBeGreaterThan(20_000); // far above anything the downtime limit allows
    expect(m.rounds).toHaveLength(30); // ran into the round cap
  });

  it('should cancel instead of forcing stop-and-copy when told to', () => {
    const m = writeVm('3des', F1, F2, { migration: { onNoConvergence: 'cancel' } });
    expect(m.status).toBe('cancelled');
    expect(m.downtime).toBe(0);
  });
});

describe('Hu et al.: fast and slow hosts', () => {
  const overhead = (src: typeof F1, dst: typeof F1) => writeVm('none', src, dst).ram.mbps / writeVm('aes-gcm', src, dst).ram.mbps - 1;

  it('should add almost no AES overhead from F1 to F2', () => {
    expect(overhead(F1, F2)).toBeLessThan(0.02);
  });

  it('should add roughly 10–15 % AES overhead from F to S and from S to F', () => {
    for (const [src, dst] of [[F1, S], [S, F1]] as const) {
      const o = overhead(src, dst);
      expect(o).toBeGreaterThan(0.1);
      expect(o).toBeLessThan(0.15);
    }
  });
});

describe('Hu et al.: downtime', () => {
  it('should make actual pre-copy downtime exceed expected-downtime', () => {
    // "Actual" is what the guest lives through: paused until the last byte is loaded at the destination.
    for (const cipher of ['none', 'aes-gcm', '3des'] as const) {
      const m = writeVm(cipher);
      expect(m['expected-downtime']).not.toBeNull();
      expect(m.guestDowntime).toBeGreaterThan(m['expected-downtime']!);
    }
  });

  it('should keep post-copy downtime under 10 ms whatever the cipher and direction', () => {
    for (const cipher of ['none', 'aes-gcm', '3des'] as const) {
      for (const [src, dst] of [[F1, F2], [F1, S], [S, F1]] as const) {
        const m = writeVm(cipher, src, dst, { migration: { algorithm: 'postcopy' } });
        expect(m.guestDowntime).toBeLessThan(10);
      }
    }
  });
});

describe('Hu et al.: post-copy faults', () => {
  it('should have the most network faults from S to F', () => {
    for (const cipher of ['aes-gcm', '3des'] as const) {
      const faults = (src: typeof F1, dst: typeof F1) =>
        writeVm(cipher, src, dst, { migration: { algorithm: 'postcopy' } }).ram['postcopy-requests'];
      const sf = faults(S, F1);
      expect(sf).toBeGreaterThan(faults(F1, F2));
      expect(sf).toBeGreaterThan(faults(F1, S));
    }
  });

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

describe('Hu et al.: read- vs write-intensive', () => {
  it("should grow the read-intensive migration time much more slowly with working-set size", () => {
    const time = (kind: 'read' | 'write', ws: number) => run({ cipher: 'aes-gcm', workload: { kind, workingSetMiB: ws } })['total-time'];
    const writeGrowth = time('write', 768) - time('write', 64);
    const readGrowth = time('read', 768) - time('read', 64);
    expect(writeGrowth).toBeGreaterThan(2000);
    // The paper gives no factor. A read-only guest's time grows only by the zero pages its larger working
    // set fills with data (here 10 % of memory, ~0.9 s at 1 Gbit/s); a writing guest's grows by every
    // page it dirties again. A quarter is the bound held here.
    expect(readGrowth).toBeLessThan(writeGrowth / 4);
  });
});

describe('Hu et al.: actual against estimated downtime, on their hypervisor and on today\'s', () => {
  // Paper (§IV-A): with no cipher or AES, pre-copy's actual downtime was 0.2–0.6 s, "significantly higher"
  // than the estimate, which the authors trace to qemu-kvm 0.12's accounting of compressed uniform pages.
  // Their testbed: qemu-kvm 0.12.3, 30 ms default downtime limit. The paper gives the range, not a ratio:
  // the range is held, and "significantly" as at least three times the estimate.
  const legacy = (cipher: CipherId) => writeVm(cipher, F1, F2, { hypervisor: 'qemu-kvm-0.12', migration: { downtimeLimitMs: 30 } });

  it('should pause 0.2–0.6 s on qemu-kvm 0.12 with no cipher or AES, at least 3× its own estimate', () => {
    for (const cipher of ['none', 'aes-gcm'] as const) {
      const m = legacy(cipher);
      expect(m.converged).toBe(true);
      expect(m.guestDowntime).toBeGreaterThanOrEqual(200);
      expect(m.guestDowntime).toBeLessThanOrEqual(600);
      expect(m.guestDowntime / m['expected-downtime']!).toBeGreaterThanOrEqual(3);
    }
  });

  it('should estimate the downtime within a third on QEMU 7.2, which counts bytes written over 100 ms windows', () => {
    for (const cipher of ['none', 'aes-gcm'] as const) {
      const m = writeVm(cipher, F1, F2, { migration: { downtimeLimitMs: 30 } });
      expect(m.guestDowntime / m['expected-downtime']!).toBeLessThan(1.34);
    }
  });
});

describe('Hu et al.: 3DES on their hypervisor, by working set', () => {
  // Paper (§IV-A, Fig. 1): with 3DES, pre-copy of the write-intensive guest completed at a 64 MB working
  // set, with a downtime of 1–2.5 s, and at 128 MB and more "did not finish" within 30 minutes. On
  // qemu-kvm 0.12.3 (its estimate lets it stop with more left dirty) the model gives the same split; the
  // benchmark's write rate is not in the paper: the schema's default (12,288 pages/s) is used.
  const desVm = (ws: number) =>
    writeVm('3des', F1, F2, { hypervisor: 'qemu-kvm-0.12', workload: { kind: 'write', workingSetMiB: ws }, migration: { downtimeLimitMs: 30, maxRounds: 10_000, maxTotalS: 1800, onNoConvergence: 'cancel' } });

  it('should complete at 64 MB with a downtime of 1–2.5 s', () => {
    const m = desVm(64);
    expect(m.status).toBe('completed');
    expect(m.converged).toBe(true);
    expect(m.guestDowntime).toBeGreaterThanOrEqual(1000);
    expect(m.guestDowntime).toBeLessThanOrEqual(2500);
  });

  it('should not finish within 30 minutes at 128 MB', () => {
    const m = desVm(128);
    expect(m.status).toBe('cancelled');
  });
});
