/**
 * QEMU's bandwidth estimate (`migration_update_counters`): every 100 ms (BUFFER_DELAY) it divides the
 * bytes written in the window just ended by the window, and until the first window ends the estimate —
 * and so the stop threshold — is zero. Its threshold for stopping pre-copy and its expected-downtime
 * both divide by this figure, so it is kept exactly as QEMU keeps it: a step function over what the
 * source wrote, not what arrived.
 *
 * Bytes are summed per window as they are written (a write is added to every window whose
 * [end − span, end) holds its time, with the bounds computed as `rate` computes them), so a write costs
 * two comparisons and a question one look-up — it is asked on every page of pre-copy's hot path.
 */

/** Windows remembered (6.4 s): questions are about the window just ended, writes about the current one. */
const SLOTS = 64;

export class RateWindow {
  readonly #span: number;
  /** Start of the first window. */
  #origin = NaN;
  /** Bytes per window `w` (the window ending at origin + w·span), in slot w mod SLOTS tagged by w. */
  readonly #sum = new Float64Array(SLOTS);
  readonly #tag = new Float64Array(SLOTS).fill(-1);
  /** Times in [#lo, #hi) belong to window #w alone: the common case, no arithmetic. */
  #lo = Infinity;
  #hi = -Infinity;
  #w = -1;

  constructor(spanS: number) {
    this.#span = spanS;
  }

  /** Windows start at `t` (QEMU resets its window when the migration starts). */
  startAt(t: number): void {
    if (Number.isNaN(this.#origin)) this.#origin = t;
  }

  add(t: number, bytes: number): void {
    if (t >= this.#lo && t < this.#hi) {
      this.#sum[this.#w % SLOTS]! += bytes;
      return;
    }
    if (Number.isNaN(this.#origin)) this.#origin = t;
    // Window w holds t when end_w − span ≤ t < end_w; rounding can put t in two neighbours or move it by one.
    const guess = Math.floor((t - this.#origin) / this.#span) + 1;
    let only = -1;
    let members = 0;
    for (let w = guess - 1; w <= guess + 1; w++) {
      const end = this.#end(w);
      if (end - this.#span <= t && t < end) {
        this.#addTo(w, bytes);
        only = w;
        members++;
      }
    }
    if (members === 1 && only >= 0) {
      // The stretch of window `only` that no neighbour shares.
      this.#w = only;
      this.#lo = Math.max(this.#end(only) - this.#span, this.#end(only - 1));
      this.#hi = Math.min(this.#end(only), this.#end(only + 1) - this.#span);
      this.#touch(only);
    } else {
      this.#lo = Infinity;
      this.#hi = -Infinity;
    }
  }

  /**
   * `add(times[i], bytesOf[classes[i]])` for every i < n, in order (a chunk of pre-copy's writes): the
   * writes inside the current window's own stretch are summed in a local and added once — the bytes are
   * integers, so the sum is exact in any grouping.
   */
  addAll(times: Float64Array, classes: Uint8Array, bytesOf: Float64Array, n: number): void {
    let i = 0;
    while (i < n) {
      const lo = this.#lo;
      const hi = this.#hi;
      let sum = 0;
      let j = i;
      for (; j < n; j++) {
        const t = times[j]!;
        if (t < lo || t >= hi) break;
        sum += bytesOf[classes[j]!]!;
      }
      if (j > i) this.#sum[this.#w % SLOTS]! += sum;
      if (j < n) this.add(times[j]!, bytesOf[classes[j]!]!);
      i = j + 1;
    }
  }

  /** QEMU's estimate at `t`, bytes per second: the last complete window's bytes ÷ its length. */
  rate(t: number): number {
    if (Number.isNaN(this.#origin)) return 0;
    const windows = Math.floor((t - this.#origin) / this.#span);
    if (windows < 1) return 0;
    const slot = windows % SLOTS;
    return this.#tag[slot] === windows ? this.#sum[slot]! / this.#span : 0;
  }

  #end(w: number): number {
    return this.#origin + w * this.#span;
  }

  /** Claim window w's slot (a slot last used SLOTS windows ago starts again from zero). */
  #touch(w: number): void {
    const slot = w % SLOTS;
    if (this.#tag[slot] !== w) {
      this.#tag[slot] = w;
      this.#sum[slot] = 0;
    }
  }

  #addTo(w: number, bytes: number): void {
    if (w < 0) return;
    this.#touch(w);
    this.#sum[w % SLOTS]! += bytes;
  }
}
