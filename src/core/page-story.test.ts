import { describe, expect, it } from 'vitest';
import { mustResolve } from './resolve-scenario';
import { simulate } from './simulate';
import { pageStory } from './page-story';

describe('a page’s story', () => {
  it('should tell every send and dirtying of a written page, in time order, up to the moment asked', () => {
    const r = simulate(mustResolve({ vm: { memoryMiB: 64 }, workload: { kind: 'write', workingSetMiB: 8, touchesPerS: 20000 } }));
    const { page, time } = r.trace.dirties;
    const p = page[0]!;
    const all = pageStory(r.trace, p, r.trace.endTime, 1000);
    expect(all.events.some((e) => e.kind === 'dirtied')).toBe(true);
    expect(all.events.filter((e) => e.kind === 'sent').length).toBeGreaterThanOrEqual(2);
    expect(all.events.every((e, i) => i === 0 || e.time >= all.events[i - 1]!.time)).toBe(true);
    const early = pageStory(r.trace, p, time[0]!, 1000);
    expect(early.events.every((e) => e.time <= time[0]!)).toBe(true);
    expect(early.events.length).toBeLessThan(all.events.length);
  });

  it('should tell a post-copy page requested by a network fault', () => {
    const r = simulate(mustResolve({ vm: { memoryMiB: 64 }, workload: { kind: 'write', workingSetMiB: 16 }, migration: { algorithm: 'postcopy' } }));
    const f = r.trace.faults;
    const p = f.page[f.kind.indexOf(0)]!;
    const story = pageStory(r.trace, p, r.trace.endTime);
    expect(story.events.some((e) => e.kind === 'fault' && e.fault === 'network')).toBe(true);
    expect(story.events.some((e) => e.kind === 'sent' && e.why === 'request')).toBe(true);
  });
});
