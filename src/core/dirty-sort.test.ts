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
    { a: [40, 3], b: [3, 33, 40], from: 33, want: [33, 40, 3], why: 'a page in both is one dirty bit' },
    { a: [31, 32, 0], b: [63, 64], from: 32, want: [32, 63, 64, 0, 31], why: 'word boundaries on both sides of the scan position' },
  ])('should order $a and $b from $from as $want: $why', ({ a, b, from, want }) => {
    expect([...scanOrder(Uint32Array.from(a), Uint32Array.from(b), from)]).toEqual(want);
  });

  it('should give the union of both sets by address from the scan position, wrapping, for any sets', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(300)), fc.uniqueArray(fc.nat(300)), fc.nat(320), (a, b, from) => {
        const union = [...new Set([...a, ...b])].sort((x, y) => x - y);
        const want = [...union.filter((p) => p >= from), ...union.filter((p) => p < from)];
        expect([...scanOrder(Uint32Array.from(a), Uint32Array.from(b), from)]).toEqual(want);
        expect([...scanOrder(Uint32Array.from(a), Uint32Array.from(b), from, 301 + (from % 40))]).toEqual(want);
      }),
      { numRuns: 500 },
    );
  });
});

