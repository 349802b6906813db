/**
 * Page bitmaps walked a word at a time, as QEMU's find_next_bit walks its dirty log: a set bit is a page,
 * found with Math.clz32 on the lowest set bit.
 */
import { PageClass } from './page-class';

const FREE = PageClass.free;

/** Append word `w`'s set bits, lowest first, as page numbers (QEMU's find_next_bit). */
export function appendBits(bits: number, w: number, out: Uint32Array, at: number): number {
  while (bits !== 0) {
    const low = bits & -bits;
    out[at++] = (w << 5) | (31 - Math.clz32(low));
    bits ^= low;
  }
  return at;
}

/**
 * Append to `out` (from `k`, up to `want` in all) the set bits of `bits` at positions [lo, hi), lowest
 * first, as page numbers — FCtrans's unused pages (class free, with `skipUnused`) left out. Returns the
 * new count.
 */
export function takeBits(bits: Uint32Array, lo: number, hi: number, cls: Uint8Array, skipUnused: boolean, out: Uint32Array, k: number, want: number): number {
  if (lo >= hi || k >= want) return k;
  let w = lo >>> 5;
  const lastWord = (hi - 1) >>> 5;
  let word = bits[w]! & (-1 << (lo & 31));
  for (;;) {
    if (w === lastWord && (hi & 31) !== 0) word &= (1 << (hi & 31)) - 1;
    while (word !== 0) {
      const low = word & -word;
      const p = (w << 5) | (31 - Math.clz32(low));
      word ^= low;
      if (skipUnused && cls[p] === FREE) continue;
      out[k++] = p;
      if (k === want) return k;
    }
    if (++w > lastWord) return k;
    word = bits[w]!;
  }
}
