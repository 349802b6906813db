/**
 * The data plane in Node: real Host objects (the same class the workers run) over real MessageChannels
 * and Node's WebCrypto. Browser tests repeat the end-to-end runs in Chromium with real workers.
 */
import { describe, expect, it } from 'vitest';
import { mustResolve, simulate, type ScenarioInput } from '../core/index';
import { Host } from '../../workers/host/host';
import { DataPlane, type HostHandle } from './data-plane';

async function playThrough(input: ScenarioInput, framePages = 16, arm?: (dp: DataPlane) => void) {
  const run = simulate(mustResolve(input));
  const dp = await DataPlane.create(run, { framePages, relay: arm !== undefined, createHost: () => new Host() as unknown as HostHandle });
  arm?.(dp);
  const t0 = performance.now();
  await dp.play(undefined, arm !== undefined);
  const verification = await dp.verify();
  const report = await dp.report(performance.now() - t0, verification);
  dp.dispose();
  return { run, report };
}

const small: ScenarioInput = { vm: { memoryMiB: 32 }, workload: { kind: 'write', workingSetMiB: 8, touchesPerS: 4096 } };

describe('data plane (Node)', () => {
  for (const algorithm of ['precopy', 'postcopy', 'hybrid'] as const) {
    it(`should end a ${algorithm} run with destination memory byte-equal to the source`, async () => {
      const { report } = await playThrough({ ...small, migration: { algorithm } });
      expect(report.verification).toMatchObject({ verified: true, mismatchCount: 0 });
      expect(report.verification.pagesChecked).toBe(8192);
      expect(report.hosts[0]!.pagesSealed).toBeGreaterThanOrEqual(8192);
      expect(report.rejections).toHaveLength(0);
    });
  }

  it('should verify a split migration with SEmigrate while sub hosts never decrypt', async () => {
    const { report } = await playThrough({
      ...small,
      vm: { memoryMiB: 64 },
      workload: { kind: 'write', workingSetMiB: 40, touchesPerS: 4096 },
      destinations: [{ name: 'main', capacityMiB: 16 }, { name: 'sub1', capacityMiB: 32 }, { name: 'sub2', capacityMiB: 32 }],
      split: { semigrate: true, pagingSeconds: 1 },
    });
    expect(report.verification.verified).toBe(true);
    expect(report.hosts.slice(2).map((h) => h.openCalls)).toEqual([0, 0]);
    expect(report.hosts.slice(2).every((h) => h.storedRecords > 0)).toBe(true);
    expect(report.hosts[1]!.openCalls).toBeGreaterThan(0);
  });

  it('should verify a naive split migration where sub hosts decrypt, and an FCtrans one', async () => {
    const split: ScenarioInput = {
      ...small,
      vm: { memoryMiB: 64 },
      workload: { kind: 'write', workingSetMiB: 24, touchesPerS: 4096, freeRatePerS: 0.01 },
      destinations: [{ name: 'main', capacityMiB: 32 }, { name: 'sub1', capacityMiB: 32 }],
      split: { pagingSeconds: 1 },
    };
    const naive = await playThrough(split);
    expect(naive.report.verification.verified).toBe(true);
    expect(naive.report.hosts[2]!.openCalls).toBeGreaterThan(0);
    const fctrans = await playThrough({ ...split, split: { skipUnused: true, pagingSeconds: 1 } });
    expect(fctrans.report.verification.verified).toBe(true);
    expect(fctrans.report.verification.pagesChecked).toBeLessThan(naive.report.verification.pagesChecked);
  });

  it('should really fail the tag of a record whose bit was flipped on the link, and stop on it', async () => {
    const run = simulate(mustResolve(small));
    const dp = await DataPlane.create(run, { framePages: 16, relay: true, createHost: () => new Host() as unknown as HostHandle });
    dp.attack(0, 1, { kind: 'flip-bit', record: 3, bit: 8 * 2000 + 3 });
    await expect(dp.play()).rejects.toThrow(/rejected a record.*tag/);
    dp.dispose();
  });

  it('should reject a replayed record and report it, and still verify the memory', async () => {
    const { report } = await playThrough(small, 16, (dp) => dp.attack(0, 1, { kind: 'replay', record: 2, after: 40 }));
    expect(report.rejections.map((r) => r.reason)).toEqual(['replay']);
    expect(report.verification.verified).toBe(true);
    expect(report.resumption.allowed).toBe(true);
  });

  it('should accept records reordered on the link and still resume', async () => {
    const { report } = await playThrough(small, 16, (dp) => dp.attack(0, 1, { kind: 'reorder', record: 5 }));
    expect(report.rejections).toHaveLength(0);
    expect(report.verification.verified).toBe(true);
    expect(report.resumption.allowed).toBe(true);
  });

  it('should refuse to resume when a record was dropped on the link (resumption-order attack)', async () => {
    const { report } = await playThrough({ ...small, migration: { algorithm: 'stop-and-copy' } }, 16, (dp) => dp.attack(0, 1, { kind: 'drop', record: 7 }));
    expect(report.resumption.allowed).toBe(false);
    expect(report.resumption.incomplete[0]).toMatchObject({ channel: 1, accepted: report.resumption.incomplete[0]!.sent - 1 });
    expect(report.verification.verified).toBe(false);
  });

  it('should allow resumption after a clean run, with or without encryption', async () => {
    for (const cipher of ['aes-gcm', 'none'] as const) {
      const { report } = await playThrough({ ...small, cipher });
      expect(report.resumption).toEqual({ allowed: true, incomplete: [] });
    }
  });

  it('should travel in clear without encryption, and the memory still verifies', async () => {
    const { report } = await playThrough({ ...small, cipher: 'none' });
    expect(report.verification.verified).toBe(true);
    expect(report.hosts[0]!.sealCalls).toBe(0);
  });

  it('should seal with real 3DES when chosen', async () => {
    const { report } = await playThrough({ ...small, vm: { memoryMiB: 16 }, workload: { kind: 'idle' }, cipher: '3des', migration: { algorithm: 'stop-and-copy' } });
    expect(report.verification.verified).toBe(true);
    expect(report.hosts[1]!.openCalls).toBeGreaterThan(0);
  });

  it('should refuse VMs above 1 GiB rather than fake them', async () => {
    const run = simulate(mustResolve({ vm: { memoryMiB: 2048 }, workload: { kind: 'idle' }, migration: { algorithm: 'stop-and-copy' } }));
    await expect(DataPlane.create(run, { framePages: 16, createHost: () => new Host() as unknown as HostHandle })).rejects.toThrow(/up to 1024 MiB/);
  });
});

describe('data plane failures', () => {
  it('should end the run with a clear message when a host fails, not hang', async () => {
    class BrokenHost extends Host {
      override send(): Promise<void> {
        return Promise.reject(new Error('host crashed while sealing'));
      }
    }
    const run = simulate(mustResolve(small));
    const dp = await DataPlane.create(run, { framePages: 16, createHost: (i) => (i === 0 ? new BrokenHost() : new Host()) as unknown as HostHandle });
    await expect(dp.play()).rejects.toThrow('host crashed while sealing');
    dp.dispose();
  });
});
