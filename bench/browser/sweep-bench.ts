/**
 * The experiments' speed target: Hu et al.'s full grid for a 1 GiB VM — 4 working-set sizes × 3
 * ciphers × 2 algorithms × 3 host pairs = 72 runs — in a pool of simulation workers (one per core),
 * dealt in the same batches as the experiments view (`batchSize`), timed from the first message to the last result.
 */
import { expandExperiment, type ExperimentSpec, type PointSpec } from '../../src/core/index';
import { WorkerGroup } from '../../src/app/worker-bridge';
import { batchSize } from '../../src/app/experiment-run.svelte';

export function sweepPoints(): PointSpec[] {
  const spec = (algorithm: string): ExperimentSpec => ({
    base: { vm: { memoryMiB: 1024 }, workload: { kind: 'write', touchesPerS: 12288 }, migration: { algorithm } },
    x: { field: 'workload.workingSetMiB', from: 64, to: 768, points: 4, scale: 'linear' },
    y: 'total-time',
    series: { field: 'cipher', values: ['none', 'aes-gcm', '3des'] },
    facet: { field: 'hostPair', values: ['F→F', 'F→S', 'S→F'] },
    baseline: null,
  });
  return [...expandExperiment(spec('precopy')), ...expandExperiment(spec('postcopy'))];
}

export async function runSweepBench(): Promise<string[]> {
  const workers = Math.max(1, Math.min(8, navigator.hardwareConcurrency || 2));
  const pool = await sweepIn(workers);
  // The same sweep in one worker: how much the pool's second core gives on this machine.
  const one = workers > 1 ? await sweepIn(1) : null;
  return [
    ...pool.lines,
    ...(one ? [`  in 1 worker: ${(one.wall / 1000).toFixed(2)} s (the pool of ${workers} is ${(one.wall / pool.wall).toFixed(2)}× faster)`] : []),
  ];
}

async function sweepIn(workers: number): Promise<{ wall: number; lines: string[] }> {
  const points = sweepPoints();
  const group = new WorkerGroup();
  const apis = Array.from({ length: workers }, (_, i) => group.spawn('sim', `sweep-${i}`));
  // Workers load their module before the clock starts, as the view's pool is warm after its first run.
  await Promise.all(apis.map((a) => a.points([], 'total-time')));
  const size = batchSize(points.length, workers);
  const t0 = performance.now();
  let next = 0;
  let converged = 0;
  const busy: number[] = [];
  await Promise.all(
    apis.map(async (api, i) => {
      busy[i] = 0;
      while (next < points.length) {
        const batch = points.slice(next, (next += size));
        const t = performance.now();
        const got = await Promise.race([api.points(batch, 'total-time'), group.crashed]);
        busy[i]! += performance.now() - t;
        converged += got.filter((r) => r.converged).length;
      }
    }),
  );
  const wall = performance.now() - t0;
  group.terminateAll();
  const lines = [
    `Experiment sweep: ${points.length} runs of a 1 GiB VM (4 working sets × 3 ciphers × 2 algorithms × 3 host pairs) in ${workers} simulation workers`,
    `  ${(wall / 1000).toFixed(2)} s wall   target < 3 s; ${converged} converged, ${points.length - converged} did not (3DES pre-copy, capped); per worker busy ${busy.map((b) => `${(b / 1000).toFixed(2)} s`).join(', ')}`,
  ];
  return { wall, lines };
}
