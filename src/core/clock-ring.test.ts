/** CLOCK page replacement over the main host's frames. */
import { describe, expect, it } from 'vitest';
import { ClockRing, EMPTY } from './clock-ring';

describe('ClockRing', () => {
  it('should fill free frames before evicting anything', () => {
    const ring = new ClockRing(3, 10, [0]);
    const evicted: number[] = [];
    ring.place(1, (v) => evicted.push(v));
    ring.place(2, (v) => evicted.push(v));
    expect(evicted).toEqual([]);
    expect(ring.hasFree).toBe(false);
  });

  it('should give a recently touched page a second chance', () => {
    const ring = new ClockRing(2, 10, [0, 1]);
    ring.touch(0);
    const evicted: number[] = [];
    // 0 and 1 were placed without reference bits; touching 0 spares it.
    const victim = ring.place(2, (v) => evicted.push(v));
    expect(victim).toBe(1);
    expect(evicted).toEqual([1]);
  });

  it('should reuse a released frame without evicting', () => {
    const ring = new ClockRing(2, 10, [0, 1]);
    ring.release(1);
    expect(ring.hasFree).toBe(true);
    expect(ring.place(3, () => { throw new Error('no eviction expected'); })).toBe(EMPTY);
    expect([...ring.frames].sort()).toEqual([0, 3]);
  });

  it('should never hold more pages than frames', () => {
    const ring = new ClockRing(16, 1000);
    for (let p = 0; p < 1000; p++) ring.place(p, () => {});
    expect(ring.frames.filter((f) => f !== EMPTY)).toHaveLength(16);
  });
});
