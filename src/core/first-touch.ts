/**
 * A program still allocating its memory when migration starts: it writes each page of its working set
 * once, in order, at the first-touch rate (a page fault, the kernel zeroing the page, one word written),
 * and only then runs its loop. Until its first touch a page is a zero page, sent as an 9-byte marker;
 * after it, it holds data and is dirty. The schedule is known ahead for a round (the guest's speed is
 * fixed within it), so the sender can tell whether the scan met a page before or after its touch.
 */
import type { MemoryLayout } from './memory-layout';

export class FirstTouch {
  /** Time each page is touched, for the pages of the current schedule (Infinity otherwise). */
  readonly touchAt: Float64Array;
  readonly #ws: Uint32Array;
  readonly #classAfter: Uint8Array;
  /** Class after the touch, per page (valid where touchAt is finite or the page was touched). */
  readonly classOf: Uint8Array;
  readonly #rate: number;
  /** Index in the working set of the next page to touch. */
  #cursor = 0;
  #doneAt = Infinity;

  /** @param startAt when the program starts: nothing is touched before it */
  constructor(layout: MemoryLayout, ratePagesPerS: number, readonly startAt = -Infinity) {
    this.#ws = layout.workingSet;
    this.#classAfter = layout.touchClass ?? new Uint8Array(0);
    this.#rate = ratePagesPerS;
    this.touchAt = new Float64Array(layout.pageCount).fill(Infinity);
    this.classOf = new Uint8Array(layout.pageCount);
    for (let i = 0; i < this.#ws.length; i++) this.classOf[this.#ws[i]!] = this.#classAfter[i]!;
    if (this.#ws.length === 0) this.#doneAt = -Infinity;
  }

  get done(): boolean {
    return this.#cursor >= this.#ws.length;
  }

  /** When the last page was touched (−Infinity before the run when there is nothing to touch). */
  get doneAt(): number {
    return this.#doneAt;
  }

  /** Plan the remaining touches from `t0` at `speed` (× host F); returns when the last will happen. */
  schedule(from: number, speed: number): number {
    const t0 = Math.max(from, this.startAt);
    const rate = this.#rate * speed;
    for (let i = this.#cursor; i < this.#ws.length; i++) {
      this.touchAt[this.#ws[i]!] = rate > 0 ? t0 + (i - this.#cursor + 0.5) / rate : Infinity;
    }
    return this.done ? this.#doneAt : rate > 0 ? t0 + (this.#ws.length - this.#cursor) / rate : Infinity;
  }

  /** Touch every planned page due before `t1`, in order: `touch(page, time, classAfter)`. */
  advance(t1: number, touch: (page: number, time: number, cls: number) => void): void {
    for (; this.#cursor < this.#ws.length; this.#cursor++) {
      const p = this.#ws[this.#cursor]!;
      const t = this.touchAt[p]!;
      if (!(t < t1)) break;
      touch(p, t, this.#classAfter[this.#cursor]!);
      this.touchAt[p] = Infinity;
      if (this.#cursor === this.#ws.length - 1) this.#doneAt = t;
    }
  }
}
