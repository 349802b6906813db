/** Ordering dirty pages: by time bin for the trace, by QEMU's scan for the next round. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binByTime, scanOrder } from './dirty-sort';

describe('binByTime', () => {
  it('should order pages by the bin of their time, keeping arrival order within a bin', () => {
    const pages = Uint32Array.from([5, 6, 7, 8]);
    const times = Float64Array.from([0.9, 0.1, 0.15, 0.5]);
    const { order, start } = binByTime(pages, times, 4, 0, 1, 4);
    expect([...order]).toEqual([6, 7, 8, 5]);
    expect([...start]).toEqual([0, 2, 2, 3, 4]);
  });

  it('should be a permutation whose bins never go backwards in time', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 0.999999, noNaN: true }), { maxLength: 200 }), fc.integer({ min: 1, max: 64 }), (ts, bins) => {
        const pages = Uint32Array.from(ts, (_, i) => i);
        const { order } = binByTime(pages, Float64Array.from(ts), ts.length, 0, 1, bins);
        expect([...order].sort((a, b) => a - b)).toEqual([...pages]);
        const binOf = (p: number): number => Math.floor(ts[p]! * bins);
        for (let i = 1; i < order.length; i++) expect(binOf(order[i]!)).toBeGreaterThanOrEqual(binOf(order[i - 1]!));
      }),
      { numRuns: 300 },
    );
  });
});

describe('scanOrder', () => {
  it.each([
    { a: [9, 2], b: [5], from: 4, want: [5, 9, 2], why: 'from the scan position onwards, then wrapping' },
    { a: [], b: [3, 1], from: 0, want: [1, 3], why: 'from the start: plain address order' },
    { a: [7], b: [], from: 100, want: [7], why: 'past the end: everything wraps' },
  ])('should order $a and $b from $from as $want: $why', ({ a, b, from, want }) => {
    expect([...scanOrder(Uint32Array.from(a), Uint32Array.from(b), from)]).toEqual(want);
  });
});
