/**
 * The main host's page frames as a CLOCK ring (second-chance replacement, the usual approximation of
 * LRU): each frame holds a page or nothing; a touched page gets its reference bit set; to free a frame
 * the hand sweeps, clearing bits, until it finds an unreferenced page. Eviction sweeps frames, not guest
 * memory, so a page-out costs O(1) amortised even for a 352 GB guest.
 */
export const EMPTY = 0xffffffff;

export class ClockRing {
  readonly frames: Uint32Array;
  /** Reference bit per guest page. */
  readonly #ref: Uint8Array;
  /** Frame of a page placed after the start (initial placement is found by scanning once). */
  readonly #slotOf = new Map<number, number>();
  readonly #freeSlots: number[] = [];
  /** Frames never used yet: [#fresh, frames.length). */
  #fresh: number;
  #hand = 0;

  /** @param capacity frames; @param pageCount guest pages; @param initial pages resident at the start */
  constructor(capacity: number, pageCount: number, initial: ArrayLike<number> = []) {
    this.frames = new Uint32Array(Math.max(1, capacity)).fill(EMPTY);
    this.#ref = new Uint8Array(pageCount);
    const used = Math.min(initial.length, this.frames.length);
    for (let i = 0; i < used; i++) this.frames[i] = initial[i]!;
    this.#fresh = used;
  }

  /** The guest touched a resident page. */
  touch(page: number): void {
    this.#ref[page] = 1;
  }

  /** Whether a frame is free without evicting (a never-used or released one). */
  get hasFree(): boolean {
    return this.#freeSlots.length > 0 || this.#fresh < this.frames.length;
  }

  /**
   * Put `page` in a frame. When none is free, `evict` is called with the cold page the hand chose
   * (its frame is then reused). Returns the evicted page, or EMPTY.
   */
  place(page: number, evict: (victim: number) => void): number {
    let victim = EMPTY;
    let slot: number;
    if (this.#freeSlots.length > 0) slot = this.#freeSlots.pop()!;
    else if (this.#fresh < this.frames.length) slot = this.#fresh++;
    else {
      for (;;) {
        const p = this.frames[this.#hand]!;
        slot = this.#hand;
        this.#hand = (this.#hand + 1) % this.frames.length;
        if (p === EMPTY) break;
        if (this.#ref[p]) {
          this.#ref[p] = 0;
          continue;
        }
        victim = p;
        this.#slotOf.delete(p);
        evict(p);
        break;
      }
    }
    this.frames[slot] = page;
    this.#slotOf.set(page, slot);
    this.#ref[page] = 1;
    return victim;
  }

  /** Whether `page` sits in a frame placed after the start (initial pages are not indexed). */
  placedLater(page: number): boolean {
    return this.#slotOf.has(page);
  }

  /** The guest freed `page` (FCtrans reclaims it): its frame is free again. */
  release(page: number): void {
    let slot = this.#slotOf.get(page);
    if (slot === undefined || this.frames[slot] !== page) slot = this.frames.indexOf(page);
    if (slot >= 0) {
      this.frames[slot] = EMPTY;
      this.#freeSlots.push(slot);
      this.#slotOf.delete(page);
    }
  }
}
