import { describe, expect, it } from 'vitest';
import { mustResolve } from './resolve-scenario';
import { simulate } from './simulate';
import { Playback } from './playback';
import { progressAt } from './progress';

describe('progress at a moment', () => {
  const run = simulate(mustResolve({ vm: { memoryMiB: 128 }, workload: { workingSetMiB: 32 } }));
  const pb = new Playback(run.trace);

  it('should reveal nothing final mid-way and everything at the end', () => {
    const r1 = run.trace.phases.find((p) => p.kind === 'round')!;
    pb.seek((r1.start + r1.end) / 2);
    const mid = progressAt(run, pb);
    expect(mid.done).toBe(false);
    expect(mid.paused).toBe(false);
    expect(mid.rounds).toBe(1);
    expect(mid.bytes).toBeGreaterThan(0);
    expect(mid.bytes).toBeLessThan(run.metrics.ram.transferred);
    pb.seek(run.trace.endTime);
    const end = progressAt(run, pb);
    expect(end.done && end.resumed).toBe(true);
    expect(end.bytes).toBe(run.metrics.ram.transferred);
    expect(end.rounds).toBe(run.metrics.rounds.length);
  });

  it('should count the pause while the VM is stopped', () => {
    pb.seek((run.trace.pauseAt + run.trace.resumeAt) / 2);
    const p = progressAt(run, pb);
    expect(p.paused && !p.resumed).toBe(true);
    expect(p.pausedFor).toBeCloseTo((run.trace.resumeAt - run.trace.pauseAt) / 2, 9);
  });
});
