import { describe, expect, it } from 'vitest';
import { mustResolve } from './resolve-scenario';
import { simulate } from './simulate';
import { Playback, PageState } from './playback';
import { FaultKind } from './trace';

const run = (input = {}) => simulate(mustResolve({ vm: { memoryMiB: 128 }, workload: { workingSetMiB: 32 }, ...input }));
const count = (a: Uint8Array, v: number) => a.reduce((n, x) => n + (x === v ? 1 : 0), 0);

describe('Playback', () => {
  it('should start with nothing sent and end with every page at the destination', () => {
    const r = run();
    const pb = new Playback(r.trace);
    expect(count(pb.state, PageState.notSent)).toBe(r.trace.pageCount);
    pb.seek(r.trace.endTime);
    expect(count(pb.state, PageState.notSent)).toBe(0);
    expect(count(pb.state, PageState.dirty)).toBe(0);
    // zero pages are never rewritten, so each was sent exactly once as a marker
    expect(count(pb.state, PageState.zero)).toBe(r.metrics.ram.duplicate);
    expect(r.metrics.ram.duplicate).toBeGreaterThan(0);
  });

  it('should show dirty pages during the second round', () => {
    const r = run({ migration: { downtimeLimitMs: 30 } });
    const round1 = r.trace.phases.find((p) => p.kind === 'round' && p.round === 1)!;
    const round2 = r.trace.phases.find((p) => p.kind === 'round' && p.round === 2)!;
    const pb = new Playback(r.trace);
    pb.seek(round2.start);
    // A page is dirty when it had reached the destination and the guest wrote it during round 1.
    const arrived = new Uint8Array(r.trace.pageCount);
    const { sends, dirties } = r.trace;
    for (let i = 0; i < sends.page.length && sends.time[i]! <= round2.start; i++) arrived[sends.page[i]!] = 1;
    const written = new Set<number>();
    for (let i = round1.dirties[0]; i < round1.dirties[1]; i++) if (arrived[dirties.page[i]!]) written.add(dirties.page[i]!);
    expect(written.size).toBeGreaterThan(1000);
    expect(count(pb.state, PageState.dirty)).toBe(written.size);
    expect(pb.countState(PageState.dirty)).toBe(count(pb.state, PageState.dirty));
  });

  it('should give the same states whether reached forwards or by jumping back', () => {
    const r = run();
    const a = new Playback(r.trace, 8);
    const b = new Playback(r.trace, 8);
    const mid = r.trace.endTime * 0.37;
    a.seek(mid);
    b.seek(r.trace.endTime);
    b.seek(mid);
    expect(b.state).toEqual(a.state);
    expect(b.loc).toEqual(a.loc);
  });

  it('should mark FCtrans-skipped pages as unused and never send them', () => {
    const r = run({ split: { skipUnused: true } });
    const pb = new Playback(r.trace);
    pb.seek(r.trace.endTime);
    expect(count(pb.state, PageState.unused)).toBe(r.metrics.ram.skipped);
    expect(r.metrics.ram.skipped).toBeGreaterThan(0);
  });

  it('should list the pages on the wire now', () => {
    const r = run();
    const pb = new Playback(r.trace);
    pb.seek(r.trace.phases[1]!.start + 0.5);
    const [from, to] = pb.inFlight(0.01);
    expect(to - from).toBeGreaterThan(100); // ~300 pages per 10 ms at 1 Gbit/s
    expect(to - from).toBeLessThan(400);
  });

  it('should count faults by kind and skipped pages up to now, matching the run at its end', () => {
    const post = run({ migration: { algorithm: 'postcopy' } });
    const pb = new Playback(post.trace);
    pb.seek(post.trace.endTime);
    expect(pb.faultsOfKind(FaultKind.network)).toBe(post.metrics.ram['postcopy-requests']);
    expect(pb.faultsOfKind(FaultKind.minor)).toBe(post.metrics.minorFaults);
    pb.seek(post.trace.resumeAt);
    expect(pb.faultsOfKind(FaultKind.network)).toBe(0);
    const fc = run({ split: { skipUnused: true } });
    const pf = new Playback(fc.trace);
    pf.seek(fc.trace.endTime);
    expect(pf.skippedSoFar).toBe(fc.metrics.ram.skipped);
    expect(fc.metrics.skippedSavedMs).toBeCloseTo((fc.metrics.ram.skipped * 4104 * 8) / 1e6, 3);
  });

  it('should bound keyframe memory for a very large guest and still seek backwards correctly', () => {
    const big = simulate(mustResolve({ vm: { memoryMiB: 65536 }, workload: { kind: 'idle' }, cipher: 'none', migration: { algorithm: 'stop-and-copy' } }));
    const pb = new Playback(big.trace);
    expect(pb.keyframeCount * 5 * big.trace.pageCount).toBeLessThanOrEqual(256 * 1024 * 1024 + 5 * big.trace.pageCount);
    pb.seek(big.trace.endTime);
    const sentAtEnd = pb.sendsDone;
    pb.seek(big.trace.phases[1]!.start + (big.trace.endTime - big.trace.phases[1]!.start) / 2);
    expect(pb.sendsDone).toBeGreaterThan(0);
    expect(pb.sendsDone).toBeLessThan(sentAtEnd);
  });

  it('should count pages dealt to each host of a split migration, and remote faults each sub host serves', () => {
    const run = simulate(mustResolve({
      vm: { memoryMiB: 128 },
      workload: { kind: 'write', workingSetMiB: 96, touchesPerS: 4096 },
      destinations: [{ name: 'main', capacityMiB: 48 }, { name: 'sub1', capacityMiB: 64 }, { name: 'sub2', capacityMiB: 64 }],
      split: { pagingSeconds: 2 },
    }));
    const pb = new Playback(run.trace);
    const r1 = run.trace.phases.find((p) => p.kind === 'round')!;
    pb.seek((r1.start + r1.end) / 2);
    const dealing = pb.trafficByHost(0.05, 4);
    expect(dealing[0]!.incoming).toBe(0);
    expect(dealing.slice(1).filter((h) => h.incoming > 0).length).toBeGreaterThanOrEqual(2);
    const paging = run.trace.phases.find((p) => p.kind === 'paging')!;
    pb.seek(paging.end);
    const served = pb.trafficByHost(paging.end - paging.start, 4);
    expect(served[2]!.remote + served[3]!.remote).toBeGreaterThan(0);
    expect(served[0]!.remote).toBe(0);
  });
});

describe('recent faults', () => {
  it('should list a post-copy network fault on the destination and the source, aging from 0 to 1', () => {
    const post = simulate(mustResolve({ vm: { memoryMiB: 128 }, workload: { workingSetMiB: 32 }, migration: { algorithm: 'postcopy' } }));
    const f = post.trace.faults;
    const k = f.kind.indexOf(FaultKind.network);
    const pb = new Playback(post.trace);
    pb.seek(f.time[k]!);
    const now = pb.recentFaults(0.01, 2);
    expect(now[1]!.some((p) => p.page === f.page[k] && p.age === 0)).toBe(true);
    expect(now[0]!.some((p) => p.page === f.page[k])).toBe(true);
    pb.seek(f.time[k]! + 0.005);
    const later = pb.recentFaults(0.01, 2).flat().find((p) => p.page === f.page[k]);
    if (later) expect(later.age).toBeGreaterThan(0);
    expect(pb.recentFaults(0.01, 2).every((list) => list.length <= 24 && list.every((p) => p.age >= 0 && p.age <= 1))).toBe(true);
  });
});
