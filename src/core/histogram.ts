/**
 * Counting page classes. A plain `count[c]++` over a run of pages of one class is a chain of loads and
 * stores to one slot (each waits for the last); four partial counts, one per lane, break the chain.
 */

/** Add to `out[v]` the number of times each value v occurs in `values[from..to)` (values < 8). */
export function addCounts(values: Uint8Array, from: number, to: number, out: Float64Array): void {
  const lanes = LANES;
  lanes.fill(0);
  let i = from;
  for (; i + 4 <= to; i += 4) {
    lanes[values[i]!]!++;
    lanes[8 + values[i + 1]!]!++;
    lanes[16 + values[i + 2]!]!++;
    lanes[24 + values[i + 3]!]!++;
  }
  for (; i < to; i++) lanes[values[i]!]!++;
  addLanes(lanes, out);
}

/** Add to `out[c]` the number of pages of each class c among `pages[0..count)` (`cls`: each page's class). */
export function addClassCounts(pages: Uint32Array, count: number, cls: Uint8Array, out: Float64Array): void {
  const lanes = LANES;
  lanes.fill(0);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    lanes[cls[pages[i]!]!]!++;
    lanes[8 + cls[pages[i + 1]!]!]!++;
    lanes[16 + cls[pages[i + 2]!]!]!++;
    lanes[24 + cls[pages[i + 3]!]!]!++;
  }
  for (; i < count; i++) lanes[cls[pages[i]!]!]!++;
  addLanes(lanes, out);
}

/** Add four lanes of eight counts (`lanes[8·lane + value]`) into `out[value]`. */
export function addLanes(lanes: Int32Array, out: Float64Array): void {
  for (let c = 0; c < out.length && c < 8; c++) out[c]! += lanes[c]! + lanes[8 + c]! + lanes[16 + c]! + lanes[24 + c]!;
}

/** Scratch for the lanes (the core is single-threaded per realm). Int32: counts are integers. */
const LANES = new Int32Array(32);
