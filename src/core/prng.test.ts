/** The seeded generator's bulk draws give the same stream as its single draws (the model's hot loops use them). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from './prng';

describe('Rng', () => {
  it('should fill the same 32-bit integers as that many single draws, and carry on the same stream', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat(10), fc.nat(300), (seed, stream, n) => {
        const one = new Rng(seed, stream);
        const bulk = new Rng(seed, stream);
        const want = Array.from({ length: n }, () => one.u32());
        const got = new Uint32Array(n);
        bulk.fillU32(got, n);
        expect([...got]).toEqual(want);
        expect(bulk.float()).toBe(one.float());
      }),
      { numRuns: 200 },
    );
  });

  it('should draw a page of an allowed kind as redrawing until one comes up would', () => {
    fc.assert(
      fc.property(fc.integer(), fc.uint8Array({ minLength: 1, maxLength: 64, max: 3 }), (seed, kinds) => {
        const ok = Uint8Array.from([0, 1, 0, 1]);
        if (!kinds.some((k) => ok[k])) return;
        const a = new Rng(seed);
        const b = new Rng(seed);
        for (let i = 0; i < 20; i++) {
          let p: number;
          do p = a.int(kinds.length);
          while (!ok[kinds[p]!]);
          expect(b.intWhere(kinds.length, kinds, ok)).toBe(p);
        }
      }),
      { numRuns: 200 },
    );
  });
});
