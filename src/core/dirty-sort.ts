/**
 * Pure helpers for dirty-page sets: a counting sort of pages by time bin (so the trace's write stream
 * is in time order without a comparison sort), and QEMU's scan order for the next round (addresses from
 * the scan position onwards, then wrapping).
 */
import { appendBits } from './bitmap';

/**
 * Order `n` pages by the time they were written, in `bins` equal bins over [t0, t1) (stable within a
 * bin). Returns the pages in order and, per bin, where it starts (`start[b]`…`start[b + 1]`).
 */
export function binByTime(pages: Uint32Array, times: Float64Array, n: number, t0: number, t1: number, bins: number): { order: Uint32Array; start: Uint32Array } {
  const span = t1 - t0 || 1;
  const binOf = new Uint32Array(n);
  const start = new Uint32Array(bins + 1);
  for (let k = 0; k < n; k++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(((times[k]! - t0) / span) * bins)));
    binOf[k] = b;
    start[b + 1]!++;
  }
  for (let b = 0; b < bins; b++) start[b + 1]! += start[b]!;
  const order = new Uint32Array(n);
  const fill = start.slice(0, bins);
  for (let k = 0; k < n; k++) order[fill[binOf[k]!]!++] = pages[k]!;
  return { order, start };
}

/**
 * The pages of the dirty bitmap in the order QEMU's scan meets them: `a` and `b` (each possibly
 * unsorted, and possibly sharing pages: a page in both is one bit) merged by address, starting at the
 * first page at or after `from` and wrapping round to the lowest addresses.
 */
export function scanOrder(a: Uint32Array, b: Uint32Array, from: number, pageCount?: number): Uint32Array {
  // A bitmap walk, as QEMU's own scan is: O(pages of the VM) per round instead of a comparison sort of
  // the dirty set, which dominated long non-converging runs (32 rounds of 200,000 pages each). Setting
  // bits also takes the union, so the caller need not first take the pages of `a` out of `b`.
  // The bitmap spans the VM when its size is given (every page is below it), else up to the highest page.
  let max = pageCount !== undefined ? pageCount - 1 : 0;
  if (pageCount === undefined) {
    for (let k = 0; k < a.length; k++) if (a[k]! > max) max = a[k]!;
    for (let k = 0; k < b.length; k++) if (b[k]! > max) max = b[k]!;
  }
  const n = a.length + b.length;
  const out = new Uint32Array(n);
  if (n === 0) return out;
  const words = new Uint32Array((max >>> 5) + 1);
  for (let k = 0; k < a.length; k++) words[a[k]! >>> 5]! |= 1 << (a[k]! & 31);
  for (let k = 0; k < b.length; k++) words[b[k]! >>> 5]! |= 1 << (b[k]! & 31);
  // From the scan position: its word with the bits below it cleared, then whole words to the end; then
  // from the start up to it (the bits at and above it cleared in its word).
  const start = Math.min(Math.max(0, from), max + 1);
  const sw = start >>> 5;
  const below = start & 31 ? (1 << (start & 31)) - 1 : 0;
  let at = 0;
  if (sw < words.length) at = appendBits(words[sw]! & ~below, sw, out, at);
  for (let w = sw + 1; w < words.length; w++) if (words[w] !== 0) at = appendBits(words[w]!, w, out, at);
  for (let w = 0; w < sw && w < words.length; w++) if (words[w] !== 0) at = appendBits(words[w]!, w, out, at);
  if (below !== 0 && sw < words.length) at = appendBits(words[sw]! & below, sw, out, at);
  return at === n ? out : out.subarray(0, at);
}
