/** Max-min fair sharing: table-driven cases and the properties that define it. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxMinShare, waterLevel } from './fair-share';

describe('maxMinShare', () => {
  it.each([
    { caps: [10, 10], capacity: 10, want: [5, 5], why: 'equal claimants split evenly' },
    { caps: [2, 10], capacity: 10, want: [2, 8], why: 'a small claimant gets its ask, the rest goes on' },
    { caps: [1, 1, 1], capacity: 10, want: [1, 1, 1], why: 'under capacity everyone is satisfied' },
    { caps: [Infinity, 3], capacity: 4, want: [2, 2], why: 'two claimants asking more than half split evenly' },
    { caps: [Infinity, 1], capacity: 4, want: [3, 1], why: 'an elastic claimant takes what is left' },
    { caps: [], capacity: 5, want: [], why: 'no claimants, no shares' },
  ])('should share $caps of $capacity as $want: $why', ({ caps, capacity, want }) => {
    expect(maxMinShare(caps, capacity)).toEqual(want);
  });

  it('should never exceed the capacity or an ask, and leave nothing idle that someone wanted', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { maxLength: 12 }), fc.double({ min: 0, max: 1e6, noNaN: true }), (caps, capacity) => {
        const share = maxMinShare(caps, capacity);
        const total = share.reduce((a, b) => a + b, 0);
        expect(total).toBeLessThanOrEqual(capacity * (1 + 1e-9) + 1e-9);
        share.forEach((x, i) => expect(x).toBeLessThanOrEqual(caps[i]! + 1e-9));
        const unsatisfied = share.some((x, i) => x < caps[i]! - 1e-6);
        if (unsatisfied) expect(total).toBeGreaterThanOrEqual(capacity * (1 - 1e-9) - 1e-6);
        // Max-min: nobody short of their ask gets less than anyone else.
        const short = share.filter((x, i) => x < caps[i]! - 1e-6);
        for (const x of short) for (const y of share) expect(x).toBeGreaterThanOrEqual(y - 1e-6);
      }),
      { numRuns: 500 },
    );
  });
});

describe('waterLevel', () => {
  it.each([
    { caps: [0.5, 0.5], capacity: 2, want: Infinity, why: 'no contention: an elastic claimant could take anything' },
    { caps: [0.1, 5], capacity: 2, want: 1.9, why: 'one busy thread gets what the light one leaves' },
    { caps: [5, 5, 5], capacity: 2, want: 2 / 3, why: 'three busy threads on two cores' },
  ])('should put the level for $caps on $capacity at $want: $why', ({ caps, capacity, want }) => {
    expect(waterLevel(caps, capacity)).toBeCloseTo(want, 9);
  });

  it('should agree with maxMinShare: claimants above the level get exactly the level', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.01, max: 100, noNaN: true }), { minLength: 1, maxLength: 10 }), fc.double({ min: 0.01, max: 100, noNaN: true }), (caps, capacity) => {
        const level = waterLevel(caps, capacity);
        const share = maxMinShare(caps, capacity);
        share.forEach((x, i) => expect(x).toBeCloseTo(Math.min(caps[i]!, level), 6));
      }),
      { numRuns: 500 },
    );
  });
});
