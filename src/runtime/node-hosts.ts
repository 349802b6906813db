/**
 * Test support: the data plane on channel-worker APIs in this thread (the code the workers run, over
 * real MessageChannels and this runtime's WebCrypto), for Node tests and headless checks.
 */
import { mustResolve, simulate, type ScenarioInput } from '../core/index';
import { makeHostApi } from '../../workers/host/api';
import { DataPlane, type DataPlaneReport } from './data-plane';
import type { HostHandle } from './topology';

export const nodeHost = (): HostHandle => makeHostApi() as unknown as HostHandle;

export async function playThrough(input: ScenarioInput, channels = 1, auditNonces = false): Promise<{ report: DataPlaneReport; dp: DataPlane }> {
  const run = simulate(mustResolve(input));
  const dp = await DataPlane.create(run, { channels, createHost: nodeHost, auditNonces });
  try {
    return { report: await dp.play(), dp };
  } finally {
    dp.dispose();
  }
}

/** A small write-heavy VM: 32 MiB, 8 MiB written at 4,096 pages/s. */
export const small: ScenarioInput = { vm: { memoryMiB: 32 }, workload: { kind: 'write', workingSetMiB: 8, touchesPerS: 4096 } };
