/**
 * The data plane in Node: real channel-worker APIs (the same code the workers run) over real
 * MessageChannels and Node's WebCrypto. Browser tests repeat the end-to-end runs in Chromium.
 */
import { describe, expect, it } from 'vitest';
import { mustResolve, simulate, type ScenarioInput } from '../core/index';
import { makeHostApi } from '../../workers/host/api';
import { DataPlane, resolveChannels, type HostHandle } from './data-plane';
import { nodeHost, playThrough, small } from './node-hosts';

describe('data plane (Node)', () => {
  for (const algorithm of ['precopy', 'postcopy', 'hybrid'] as const) {
    it(`should end a ${algorithm} run with destination memory byte-equal to the source, and the destination running`, async () => {
      const { report } = await playThrough({ ...small, migration: { algorithm } });
      expect(report.verification).toMatchObject({ verified: true, mismatchCount: 0, pagesChecked: 8192 });
      // Every page leaves once at least: sealed, or (a zero page, as QEMU does) as a marker with no bytes.
      const src = report.hosts[0]![0]!;
      expect(src.pagesSealed + src.zeroPages).toBeGreaterThanOrEqual(8192);
      expect(src.zeroPages).toBeGreaterThan(0);
      expect(report.rejections).toHaveLength(0);
      expect(report.end).toMatchObject({ manifestMatches: true, vmRunsAt: 'destination', source: 'destroyed', bothRunningEver: false, wrongMemoryEver: false });
    });
  }

  it('should spread pages over channel workers, each with its own keys, and verify by digest per channel', async () => {
    const { report } = await playThrough(small, 3, true);
    expect(report.verification!.verified).toBe(true);
    expect(report.verification!.digestsCompared).toBe(3);
    expect(report.verification!.pagesCompared).toBe(0);
    expect(report.hosts[0]!.map((h) => h.pagesSealed > 0)).toEqual([true, true, true]);
    expect(report.handshakes.filter((h) => h.ok && h.authenticated && h.encrypted)).toHaveLength(3);
    expect(report.duplicateNonces).toBe(0);
    expect(report.busy).toHaveLength(6);
  });

  it('should verify a split migration with SEmigrate while sub hosts never decrypt', async () => {
    const { report } = await playThrough({
      ...small,
      vm: { memoryMiB: 64 },
      workload: { kind: 'write', workingSetMiB: 40, touchesPerS: 4096 },
      destinations: [{ name: 'main', capacityMiB: 16 }, { name: 'sub1', capacityMiB: 32 }, { name: 'sub2', capacityMiB: 32 }],
      split: { semigrate: true, pagingSeconds: 1 },
    }, 2);
    expect(report.verification!.verified).toBe(true);
    expect(report.hosts.slice(2).flat().map((h) => h.openCalls)).toEqual([0, 0, 0, 0]);
    expect(report.hosts.slice(2).some((row) => row.some((h) => h.storedRecords > 0))).toBe(true);
    expect(report.hosts[1]!.some((h) => h.openCalls > 0)).toBe(true);
    expect(report.subHost).not.toBeNull();
  });

  it('should verify a naive split migration where sub hosts decrypt, and an FCtrans one that drops unused pages', async () => {
    const split: ScenarioInput = {
      ...small,
      vm: { memoryMiB: 64 },
      workload: { kind: 'write', workingSetMiB: 24, touchesPerS: 4096, freeRatePerS: 0.01 },
      destinations: [{ name: 'main', capacityMiB: 32 }, { name: 'sub1', capacityMiB: 32 }],
      split: { pagingSeconds: 1 },
    };
    const naive = await playThrough(split);
    expect(naive.report.verification!.verified).toBe(true);
    expect(naive.report.hosts[2]![0]!.openCalls).toBeGreaterThan(0);
    const fctrans = await playThrough({ ...split, split: { skipUnused: true, pagingSeconds: 1 } });
    expect(fctrans.report.verification!.verified).toBe(true);
    expect(fctrans.report.verification!.pagesChecked).toBeLessThan(naive.report.verification!.pagesChecked);
    expect(fctrans.report.end!.items[0]).toMatchObject({ kind: 'unused-list', accepted: true, intact: true });
  });

  it('should travel in clear without encryption, and the memory still verifies and the VM moves', async () => {
    const { report } = await playThrough({ ...small, cipher: 'none' });
    expect(report.verification!.verified).toBe(true);
    expect(report.hosts[0]![0]!.sealCalls).toBe(0);
    expect(report.end!.vmRunsAt).toBe('destination');
  });

  it('should seal with real 3DES when chosen', async () => {
    const { report } = await playThrough({ ...small, vm: { memoryMiB: 16 }, workload: { kind: 'idle' }, cipher: '3des', migration: { algorithm: 'stop-and-copy' } });
    expect(report.verification!.verified).toBe(true);
    expect(report.hosts[1]![0]!.openCalls).toBeGreaterThan(0);
  });

  it('should refuse VMs above 1 GiB rather than fake them', async () => {
    const run = simulate(mustResolve({ vm: { memoryMiB: 2048 }, workload: { kind: 'idle' }, migration: { algorithm: 'stop-and-copy' } }));
    await expect(DataPlane.create(run, { channels: 1, createHost: nodeHost })).rejects.toThrow(/up to 1024 MiB/);
  });

  it('should resolve "0 channels" to the cores reported, at most 8', () => {
    expect([resolveChannels(0, 2), resolveChannels(0, 32), resolveChannels(0, undefined), resolveChannels(3, 32)]).toEqual([2, 8, 1, 3]);
  });
});

describe('data plane failures', () => {
  it('should end the run with a clear message when a host fails, not hang', async () => {
    const run = simulate(mustResolve(small));
    const broken = (): HostHandle => {
      const api = makeHostApi();
      return { ...api, send: () => Promise.reject(new Error('host crashed while sealing')) } as unknown as HostHandle;
    };
    const dp = await DataPlane.create(run, { channels: 1, createHost: (h) => (h === 0 ? broken() : nodeHost()) });
    await expect(dp.play()).rejects.toThrow('host crashed while sealing');
    dp.dispose();
  });
});
