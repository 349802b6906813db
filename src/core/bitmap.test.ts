/** Bitmap walks: the pages a word-at-a-time walk finds are the set bits a page-by-page walk finds. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { takeBits } from './bitmap';
import { PageClass } from './page-class';

describe('takeBits', () => {
  it('should take the set bits in [lo, hi) lowest first, up to the count asked, leaving out free pages when told', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(199)), fc.uniqueArray(fc.nat(199)), fc.nat(200), fc.nat(200), fc.integer({ min: 1, max: 40 }), fc.boolean(), (set, free, a, b, want, skip) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const bits = new Uint32Array(7);
        for (const p of set) bits[p >>> 5]! |= 1 << (p & 31);
        const cls = new Uint8Array(200).fill(PageClass.anon);
        for (const p of free) cls[p] = PageClass.free;
        const expected = [...set].sort((x, y) => x - y).filter((p) => p >= lo && p < hi && !(skip && cls[p] === PageClass.free)).slice(0, want);
        const out = new Uint32Array(want);
        const k = takeBits(bits, lo, hi, cls, skip, out, 0, want);
        expect([...out.subarray(0, k)]).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
