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
  /** The caller's tag of each queued page (−1: none), so a page an urgent one delays can be told. Kept only once a caller tags (post-copy with an urgent channel): the hot path of an untagged stream stays as it was. */
  #tags = new Int32Array(1024);
  #tagged = false;
  #head = 0;
  #tail = 0;
  /** When the last urgent page left the link (urgent pages queue behind each other). */
  #urgent = 0;
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
  send(upS: number, downS: number, bytes: number, from = this.up, tag = -1): number {
    if (bytes > this.#capacity) return this.#stream(upS, downS, bytes, from, tag);
    const start = this.writeReady(bytes, from);
    const written = start + upS;
    const left = Math.max(this.down, written) + downS;
    this.up = written;
    this.down = left;
    this.#push(left, bytes, tag);
    return left + this.#latency;
  }

  /**
   * `send` for a run of pages priced by class — pre-copy's hot path. Sends `pages[k..end)` back to back
   * with the same arithmetic as `send` page by page, but with the stream's state in locals, and stops
   * after the first page whose write ends at or after `until` (the caller's next pending check).
   * Each page's arrival goes to `arrivals[at + i]`, the end of its write to `written[i - k]`, its
   * class to `classes[i - k]`. Returns the index after the last page sent, or −1 when a page is larger
   * than the buffers or pages are tagged (then the caller sends page by page). With `startBefore`, it
   * also stops before a page whose write could start only at or after `until` (post-copy's push, which
   * yields to the guest's next touch: the page stays unsent, the buffers as `writeReady` left them).
   */
  sendRun(r: PageRun, k: number, end: number, until: number, startBefore = false): number {
    const cap = this.#capacity;
    if (this.#tagged || r.maxWire > cap) return -1;
    const { pages, cls, up: upCost, down: downCost, wire, arrivals, at, written, classes, touchAt, touchedClass } = r;
    const latency = this.#latency;
    let leave = this.#leave;
    let bytes = this.#bytes;
    let head = this.#head;
    let tail = this.#tail;
    let queued = this.#queued;
    let up = this.up;
    let down = this.down;
    let i = k;
    while (i < end) {
      const p = pages[i]!;
      const c = touchAt !== null && touchAt[p]! <= up ? touchedClass![p]! : cls[p]!;
      const b = wire[c]!;
      // writeReady: drop what has left by `up`, then wait for departures until the page fits.
      let t = up;
      for (;;) {
        while (head < tail && leave[head]! <= t) queued -= bytes[head++]!;
        if (queued + b <= cap || head === tail) break;
        t = leave[head]!;
      }
      if (startBefore && t >= until) break;
      up = t + upCost[c]!;
      down = (down > up ? down : up) + downCost[c]!;
      if (tail === leave.length) {
        this.#head = head;
        this.#tail = tail;
        this.#makeRoom();
        leave = this.#leave;
        bytes = this.#bytes;
        head = this.#head;
        tail = this.#tail;
      }
      leave[tail] = down;
      bytes[tail++] = b;
      queued += b;
      arrivals[at + i] = down + latency;
      written[i - k] = up;
      classes[i - k] = c;
      i++;
      // Post-copy asks about the next page's start instead (whose wait for room has its effect on the buffers).
      if (!startBefore && up >= until) break;
    }
    this.#head = head;
    this.#tail = tail;
    this.#queued = queued;
    this.up = up;
    this.down = down;
    return i;
  }

  /**
   * A block larger than the buffers (a connection table, or any write with no buffer at all) streams:
   * downstream carries it as upstream writes, and upstream cannot finish until all but a buffer's worth
   * has been carried — the source does not "write" 3 MB at CPU speed.
   */
  #stream(upS: number, downS: number, bytes: number, from: number, tag: number): number {
    const start = this.writeReady(bytes, from);
    const left = Math.max(Math.max(this.down, start) + downS, start + upS);
    this.up = Math.max(start + upS, left - (downS * this.#capacity) / bytes);
    this.down = left;
    this.#push(left, bytes, tag);
    return left + this.#latency;
  }

  /**
   * An urgent page on a socket of its own (QEMU's postcopy-preempt channel, Yabusame's) that reaches
   * the link at `at` needing `downS` of it. It does not wait behind the pages queued in this stream's
   * buffers, but it shares the wire: it goes out right after the page on the link now, and every page
   * queued behind that one leaves `downS` later (`delayed` is told each one's tag). Returns when the
   * urgent page arrives at the receiver. The link never carries more than its capacity.
   */
  overtake(at: number, downS: number, delayed: (tag: number, by: number) => void): number {
    let i = this.#head;
    while (i < this.#tail && this.#leave[i]! <= at) i++;
    let leaves: number;
    if (i === this.#tail) {
      leaves = Math.max(at, this.down, this.#urgent) + downS;
      this.down = leaves;
    } else {
      // Behind the page on the wire now, and behind any urgent page already ahead of the queue.
      leaves = Math.max(this.#leave[i]!, this.#urgent) + downS;
      for (let j = i + 1; j < this.#tail; j++) {
        this.#leave[j]! += downS;
        if (this.#tagged && this.#tags[j]! >= 0) delayed(this.#tags[j]!, downS);
      }
      this.down += downS;
    }
    this.#urgent = leaves;
    return leaves + this.#latency;
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

  /** Tags are kept only once a caller tags a page (the first one clears the slots). */
  #tag(tag: number): void {
    if (!this.#tagged) {
      this.#tagged = true;
      this.#tags.fill(-1);
    }
    this.#tags[this.#tail] = tag;
  }

  /** Compact the FIFO to the front, then grow it if the live part still fills it. */
  #makeRoom(): void {
    const live = this.#tail - this.#head;
    if (this.#head > 0) {
      this.#leave.copyWithin(0, this.#head, this.#tail);
      this.#bytes.copyWithin(0, this.#head, this.#tail);
      if (this.#tagged) this.#tags.copyWithin(0, this.#head, this.#tail);
    }
    this.#head = 0;
    this.#tail = live;
    if (live === this.#leave.length) {
      const l = new Float64Array(live * 2);
      l.set(this.#leave);
      const b = new Float64Array(live * 2);
      b.set(this.#bytes);
      const g = new Int32Array(live * 2);
      g.set(this.#tags);
      this.#leave = l;
      this.#bytes = b;
      this.#tags = g;
    }
  }

  #push(leave: number, bytes: number, tag: number): void {
    if (this.#tail === this.#leave.length) this.#makeRoom();
    this.#leave[this.#tail] = leave;
    if (tag >= 0 || this.#tagged) this.#tag(tag);
    this.#bytes[this.#tail++] = bytes;
    this.#queued += bytes;
  }
}

/** A run of pages for `Pipe.sendRun`: what to send, the per-class costs, and where results go. */
export interface PageRun {
  pages: Uint32Array;
  /** Class of each page now; `touchedClass` instead once `touchAt[page]` ≤ the write's start (a page the program has touched). */
  cls: Uint8Array;
  touchAt: Float64Array | null;
  touchedClass: Uint8Array | null;
  /** Per class: seconds upstream, seconds downstream, bytes in the buffers. */
  up: Float64Array;
  down: Float64Array;
  wire: Float64Array;
  /** The largest of `wire` (a page larger than the buffers streams: not this path). */
  maxWire: number;
  arrivals: Float64Array;
  at: number;
  /** Scratch, one slot per page of the call's chunk: each write's end and each page's class. */
  written: Float64Array;
  classes: Uint8Array;
}
