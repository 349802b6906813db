/**
 * Pure helpers for dirty-page sets: a counting sort of pages by time bin (so the trace's write stream
 * is in time order without a comparison sort), and QEMU's scan order for the next round (addresses from
 * the scan position onwards, then wrapping).
 */

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
 * unsorted, together without repeats) merged by address, starting at the first page at or after `from`
 * and wrapping round to the lowest addresses.
 */
export function scanOrder(a: Uint32Array, b: Uint32Array, from: number): Uint32Array {
  const all = new Uint32Array(a.length + b.length);
  all.set(a);
  all.set(b, a.length);
  all.sort();
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (all[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return all;
  const out = new Uint32Array(all.length);
  out.set(all.subarray(lo));
  out.set(all.subarray(0, lo), all.length - lo);
  return out;
}
