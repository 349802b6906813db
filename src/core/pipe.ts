/**
 * A migration stream as two stages with socket buffers between them. The upstream stage is the
 * source's migration thread (and QEMU's rate limiter); the downstream stage is everything after the
 * socket: tunnels, the link and the receiving thread. A page is written upstream when the buffer has
 * room, and arrives when the downstream stage has carried everything queued before it.
 *
 * This is what makes two of QEMU's behaviours come out of the model rather than be asserted: with a
 * throttle the buffers stay empty, so when the throttle is lifted for the paused stage the source
 * writes the last pages at its own speed (downtime ~10 ms, not ~300 ms); and in post-copy a page the
 * guest asks for waits behind every pushed page already in the buffers (head-of-line blocking).
 */

export class Pipe {
  /** Time the upstream stage is next free. */
  up = 0;
  /** Time the downstream stage is next free. */
  down = 0;
  readonly #capacity: number;
  readonly #latency: number;
  // Pages in the buffer: when each leaves it (downstream done) and its bytes, in FIFO order.
  #leave = new Float64Array(1024);
  #bytes = new Float64Array(1024);
  #head = 0;
  #tail = 0;
  #queued = 0;

  /** @param capacityBytes socket buffers between the stages; @param latencyS one-way link latency */
  constructor(capacityBytes: number, latencyS: number, start = 0) {
    this.#capacity = Math.max(0, capacityBytes);
    this.#latency = latencyS;
    this.up = start;
    this.down = start;
  }

  /** Bytes in the buffer at time `t` (written, not yet carried downstream). */
  queuedAt(t: number): number {
    let q = this.#queued;
    for (let i = this.#head; i < this.#tail; i++) if (this.#leave[i]! <= t) q -= this.#bytes[i]!;
    return q;
  }

  /** The earliest time upstream could start writing a page of `bytes`. */
  writeReady(bytes: number, from = this.up): number {
    let t = Math.max(from, this.up);
    // Drop what has left by t, then, if still full, wait for the next departure.
    for (;;) {
      while (this.#head < this.#tail && this.#leave[this.#head]! <= t) {
        this.#queued -= this.#bytes[this.#head]!;
        this.#head++;
      }
      if (this.#queued + bytes <= this.#capacity || this.#head === this.#tail) return t;
      t = this.#leave[this.#head]!;
    }
  }

  /**
   * Send one page: `upS` of upstream work, `downS` of downstream work, `bytes` in the buffer while it
   * waits. Returns the time it arrives at the receiver. `from` is the earliest the write may start.
   */
  send(upS: number, downS: number, bytes: number, from = this.up): number {
    const start = this.writeReady(bytes, from);
    const written = start + upS;
    this.up = written;
    const left = Math.max(this.down, written) + downS;
    this.down = left;
    this.#push(left, bytes);
    return left + this.#latency;
  }

  /** Time upstream finished its last write (the source's view: QEMU's clock for syncs and downtime). */
  get sourceDone(): number {
    return this.up;
  }

  /** Time the last byte written so far reaches the receiver. */
  get drained(): number {
    return this.down + this.#latency;
  }

  /** Move both stages forward to at least `t` (the stream was idle until then). */
  idleUntil(t: number): void {
    this.up = Math.max(this.up, t);
    this.down = Math.max(this.down, t);
  }

  #push(leave: number, bytes: number): void {
    if (this.#tail === this.#leave.length) {
      // Compact, then grow if the live part still fills the arrays.
      const live = this.#tail - this.#head;
      if (this.#head > 0) {
        this.#leave.copyWithin(0, this.#head, this.#tail);
        this.#bytes.copyWithin(0, this.#head, this.#tail);
      }
      this.#head = 0;
      this.#tail = live;
      if (live === this.#leave.length) {
        const l = new Float64Array(live * 2);
        l.set(this.#leave);
        const b = new Float64Array(live * 2);
        b.set(this.#bytes);
        this.#leave = l;
        this.#bytes = b;
      }
    }
    this.#leave[this.#tail] = leave;
    this.#bytes[this.#tail++] = bytes;
    this.#queued += bytes;
  }
}
