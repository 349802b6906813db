/**
 * Sliding anti-replay window over record sequence numbers (as IPsec and DTLS keep one): a number
 * already seen is a replay; one too far behind the highest seen is out of window. Records may arrive
 * reordered within the window (page versions, checked separately, stop rollbacks).
 */
export type WindowVerdict = 'ok' | 'replay' | 'out-of-window';

/** What `openRecord` asks of a replay guard. */
export interface SeqGuard {
  check(seq: number): WindowVerdict;
  accept(seq: number): void;
}

/**
 * For records a SEmigrate sub host kept and hands back: they return in page-in order, not sending
 * order, so no window fits; each may be consumed exactly once.
 */
export class ConsumedOnce implements SeqGuard {
  readonly #seen = new Set<number>();
  check(seq: number): WindowVerdict {
    return this.#seen.has(seq) ? 'replay' : 'ok';
  }
  accept(seq: number): void {
    this.#seen.add(seq);
  }
}

export class ReplayWindow implements SeqGuard {
  readonly size: number;
  #highest = -1;
  readonly #seen: Uint8Array;

  constructor(size = 1024) {
    this.size = size;
    this.#seen = new Uint8Array(size);
  }

  check(seq: number): WindowVerdict {
    if (seq > this.#highest) return 'ok';
    if (seq <= this.#highest - this.size) return 'out-of-window';
    return this.#seen[seq % this.size] ? 'replay' : 'ok';
  }

  /** Record `seq` as received; call only after the record passed every check. */
  accept(seq: number): void {
    if (seq > this.#highest) {
      // Slots that slide out of the window are cleared for the numbers that will reuse them.
      for (let s = Math.max(this.#highest + 1, seq - this.size + 1); s <= seq; s++) this.#seen[s % this.size] = 0;
      this.#highest = seq;
    }
    this.#seen[seq % this.size] = 1;
  }
}
