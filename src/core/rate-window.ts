/**
 * QEMU's bandwidth estimate (`migration_update_counters`): every 100 ms (BUFFER_DELAY) it divides the
 * bytes written in the window just ended by the window, and until the first window ends the estimate —
 * and so the stop threshold — is zero. Its threshold for stopping pre-copy and its expected-downtime
 * both divide by this figure, so it is kept exactly as QEMU keeps it: a step function over what the
 * source wrote, not what arrived.
 */
export class RateWindow {
  readonly #span: number;
  /** Write times and cumulative bytes up to and including each write. */
  #t = new Float64Array(4096);
  #cum = new Float64Array(4096);
  #head = 0;
  #tail = 0;
  #total = 0;
  /** Cumulative bytes of the entries dropped from the front. */
  #base = 0;
  /** Start of the first window. */
  #origin = NaN;

  constructor(spanS: number) {
    this.#span = spanS;
  }

  /** Windows start at `t` (QEMU resets its window when the migration starts). */
  startAt(t: number): void {
    if (Number.isNaN(this.#origin)) this.#origin = t;
  }

  add(t: number, bytes: number): void {
    if (Number.isNaN(this.#origin)) this.#origin = t;
    if (this.#tail === this.#t.length) this.#compact();
    this.#total += bytes;
    this.#t[this.#tail] = t;
    this.#cum[this.#tail++] = this.#total;
  }

  /** QEMU's estimate at `t`, bytes per second: the last complete window's bytes ÷ its length. */
  rate(t: number): number {
    if (Number.isNaN(this.#origin)) return 0;
    const windows = Math.floor((t - this.#origin) / this.#span);
    if (windows < 1) return 0;
    const end = this.#origin + windows * this.#span;
    const begin = end - this.#span;
    // Entries before the window can go: later questions are never about earlier windows.
    while (this.#head < this.#tail && this.#t[this.#head]! < begin) this.#head++;
    return (this.#cumBefore(end) - this.#cumBefore(begin)) / this.#span;
  }

  /** Bytes written strictly before `x`. */
  #cumBefore(x: number): number {
    let lo = this.#head;
    let hi = this.#tail;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#t[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? this.#cum[lo - 1]! : this.#base;
  }

  #compact(): void {
    const keep = this.#head;
    if (keep > 0) {
      this.#base = this.#cum[keep - 1]!;
      this.#t.copyWithin(0, keep, this.#tail);
      this.#cum.copyWithin(0, keep, this.#tail);
      this.#head -= keep;
      this.#tail -= keep;
    }
    if (this.#tail === this.#t.length) {
      const t = new Float64Array(this.#t.length * 2);
      t.set(this.#t);
      const c = new Float64Array(this.#t.length * 2);
      c.set(this.#cum);
      this.#t = t;
      this.#cum = c;
    }
  }
}
