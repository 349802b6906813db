/** The used-page runs of a memory map, against a page-by-page walk, for any map and any view offset. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countUsed, forUsedRuns } from './used-runs';

function naiveRuns(cls: Uint8Array): [number, number][] {
  const out: [number, number][] = [];
  for (let p = 0; p < cls.length; ) {
    if (cls[p] === 0) {
      p++;
      continue;
    }
    const from = p;
    while (p < cls.length && cls[p] !== 0) p++;
    out.push([from, p]);
  }
  return out;
}

describe('forUsedRuns', () => {
  it('should give the same runs as a page-by-page walk (free = 0), for maps with long free stretches and views at any offset', () => {
    const map = fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 40 })), { maxLength: 60 });
    fc.assert(
      fc.property(map, fc.integer({ min: 0, max: 9 }), (pieces, offset) => {
        const flat = pieces.flatMap(([c, len]) => Array<number>(len).fill(c));
        const backing = new Uint8Array(offset + flat.length);
        backing.set(flat, offset);
        const cls = backing.subarray(offset);
        const runs: [number, number][] = [];
        forUsedRuns(cls, (from, to) => runs.push([from, to]));
        expect(runs).toEqual(naiveRuns(cls));
        expect(countUsed(cls)).toBe(flat.filter((c) => c !== 0).length);
      }),
      { seed: 20261202, numRuns: 400 },
    );
  });
});
