/** Writing a record's pages in one copy per run gives the same memory as writing them one by one. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../src/core/units';
import { PagedMemory } from './paged-memory';

describe('PagedMemory.writeMany', () => {
  it('should equal page-by-page writes for any page list (runs, gaps, chunk edges, repeats)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 511 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 3 }), (starts, runLen) => {
        const pages = starts.flatMap((p) => Array.from({ length: runLen + 1 }, (_, k) => Math.min(511, p + k)));
        const body = new Uint8Array(pages.length * PAGE_SIZE);
        for (let i = 0; i < body.length; i += 97) body[i] = (i / 97) & 255;
        const a = new PagedMemory(512);
        const b = new PagedMemory(512);
        a.writeMany(pages, body);
        pages.forEach((p, i) => b.write(p, body.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE)));
        expect(a.present).toEqual(b.present);
        let differing = 0;
        for (let p = 0; p < 512; p++) {
          if (!b.present[p]) continue;
          const x = a.page(p);
          const y = b.page(p);
          for (let j = 0; j < PAGE_SIZE; j++) if (x[j] !== y[j]) differing++;
        }
        expect(differing).toBe(0);
      }),
      { seed: 20261203, numRuns: 100 },
    );
  });
});
