import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detLog, logByBits } from './det-math';

describe('detLog', () => {
  it('should give bit for bit what reading the exponent from the bits gives, over the whole double range', () => {
    fc.assert(
      fc.property(fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true }), (x) => {
        expect(Object.is(detLog(x), logByBits(x))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
    // And densely where the exponent is found without the bits, [2^-32, 2^32).
    fc.assert(
      fc.property(fc.double({ min: 2 ** -32, max: 2 ** 32, maxExcluded: true, noNaN: true }), (x) => {
        expect(Object.is(detLog(x), logByBits(x))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('should agree at and beside every power of two the fast path meets, and on 1 − u for 32-bit u', () => {
    const xs: number[] = [];
    for (let e = -34; e <= 34; e++) {
      const p = 2 ** e;
      xs.push(p, p * (1 + Number.EPSILON), p * (1 - Number.EPSILON / 2), p * 1.5, p * Math.SQRT2);
    }
    for (let w = 0; w < 4294967296; w += 65537) xs.push(1 - w / 4294967296);
    xs.push(1 - 4294967295 / 4294967296);
    for (const x of xs) expect(Object.is(detLog(x), logByBits(x)), `x = ${x}`).toBe(true);
  });
});
