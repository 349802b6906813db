/**
 * The memory check: equal memory gives equal tags whatever is allocated where, one changed byte anywhere
 * (in a long run tagged in place, or in a gathered short run) changes the tag, and so does a missing page.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PAGE_SIZE } from '../../src/core/units';
import type { ChannelHost } from './channel-host';
import { checkDigest } from './memory-check';
import { PagedMemory } from './paged-memory';

const PAGES = 2048;
function host(fill: (p: number, page: Uint8Array) => void): ChannelHost {
  const mem = new PagedMemory(PAGES);
  for (let p = 0; p < PAGES; p++) {
    const b = new Uint8Array(PAGE_SIZE);
    fill(p, b);
    mem.write(p, b);
  }
  return { mem } as unknown as ChannelHost;
}
const content = (p: number, b: Uint8Array): void => {
  for (let i = 0; i < PAGE_SIZE; i += 97) b[i] = (p * 31 + i) & 0xff;
};
const key = new Uint8Array(16).fill(9);
// A long run (in place), scattered pages (gathered), and a run that crosses a chunk boundary.
const list = Uint32Array.from([...Array.from({ length: 700 }, (_, i) => i), 800, 803, 900, 1000, ...Array.from({ length: 300 }, (_, i) => 1200 + i)]);

describe('memory check', () => {
  it('should give equal tags for equal memory, and differ under another key', async () => {
    const a = await checkDigest(host(content), list, key);
    expect(await checkDigest(host(content), list, key)).toBe(a);
    expect(await checkDigest(host(content), list, new Uint8Array(16).fill(8))).not.toBe(a);
  });

  it('should notice one changed byte anywhere in the list (property test)', async () => {
    const good = await checkDigest(host(content), list, key);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: list.length - 1 }), fc.integer({ min: 0, max: PAGE_SIZE - 1 }), async (k, at) => {
        const page = list[k]!;
        const bad = host((p, b) => {
          content(p, b);
          if (p === page) b[at] = b[at]! ^ 1;
        });
        expect(await checkDigest(bad, list, key)).not.toBe(good);
      }),
      { numRuns: 60 },
    );
  });

  it('should notice a page the host does not hold', async () => {
    const h = host(content);
    const good = await checkDigest(h, list, key);
    h.mem.present[5] = 0;
    expect(await checkDigest(h, list, key)).not.toBe(good);
  });
});
