/** QEMU's bandwidth estimate: zero until a window ends, then the last whole window's bytes per second. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateWindow } from './rate-window';

describe('RateWindow', () => {
  it('should estimate nothing before the first 100 ms window ends (QEMU starts with a zero threshold)', () => {
    const w = new RateWindow(0.1);
    w.startAt(0);
    w.add(0.01, 1e6);
    expect(w.rate(0.05)).toBe(0);
  });

  it('should give the bytes of the last complete window, as a step that holds until the next ends', () => {
    const w = new RateWindow(0.1);
    w.startAt(0);
    for (let t = 0.005; t < 0.3; t += 0.01) w.add(t, t < 0.1 ? 1000 : 2000);
    expect(w.rate(0.15)).toBeCloseTo(10 * 1000 / 0.1, 6);
    expect(w.rate(0.25)).toBeCloseTo(10 * 2000 / 0.1, 6);
    expect(w.rate(0.26)).toBeCloseTo(w.rate(0.25), 9);
  });

  it('should keep answering after growing and dropping old entries', () => {
    const w = new RateWindow(0.1);
    w.startAt(0);
    for (let i = 0; i < 100_000; i++) w.add(i * 1e-5, 10);
    expect(w.rate(1)).toBeCloseTo(10 / 1e-5, 3);
  });

  it('should estimate the same after a chunk of writes added at once as after each write added alone', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 0, max: 0.05, noNaN: true }), fc.integer({ min: 0, max: 2 })), { maxLength: 300 }), fc.double({ min: 0, max: 3, noNaN: true }), (steps, origin) => {
        const bytesOf = Float64Array.from([4104, 8, 4126]);
        const times = new Float64Array(steps.length);
        const classes = new Uint8Array(steps.length);
        let t = origin;
        steps.forEach(([gap, c], i) => {
          t += gap;
          times[i] = t;
          classes[i] = c;
        });
        const one = new RateWindow(0.1);
        const all = new RateWindow(0.1);
        one.startAt(origin);
        all.startAt(origin);
        for (let i = 0; i < times.length; i++) one.add(times[i]!, bytesOf[classes[i]!]!);
        all.addAll(times, classes, bytesOf, times.length);
        for (let q = origin; q <= t + 0.2; q += 0.037) expect(all.rate(q)).toBe(one.rate(q));
      }),
      { numRuns: 300 },
    );
  });
});

