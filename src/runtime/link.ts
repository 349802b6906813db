/**
 * A network link between two hosts, relayed through the page's main thread so that what crosses it can
 * be watched and attacked for real: flip a bit, replay an old record, swap two records. Buffers are
 * transferred, never copied, on the way through.
 */
import type { WireMessage } from '../../workers/host/host';

export type Attack =
  | { kind: 'flip-bit'; record: number; bit: number }
  | { kind: 'replay'; record: number; after: number }
  | { kind: 'reorder'; record: number }
  | { kind: 'drop'; record: number };

export class Link {
  readonly channel: number;
  /** Port to hand to the sender and to the receiver. */
  readonly senderPort: MessagePort;
  readonly receiverPort: MessagePort;
  readonly #in: MessagePort;
  readonly #out: MessagePort;
  #records = 0;
  /** Records posted on to the receiver (after any attack added or removed some). */
  forwarded = 0;
  bytes = 0;
  readonly #attacks: Attack[] = [];
  readonly #kept = new Map<number, ArrayBuffer[]>();
  #held: ArrayBuffer[] | null = null;

  constructor(channel: number) {
    this.channel = channel;
    const a = new MessageChannel();
    const b = new MessageChannel();
    this.senderPort = a.port1;
    this.#in = a.port2;
    this.#out = b.port1;
    this.receiverPort = b.port2;
    this.#in.onmessage = (e: MessageEvent<WireMessage>) => this.#relay(e.data);
  }

  /** Records that reached the link from the sender. */
  get records(): number {
    return this.#records;
  }


  /** Arm an attack on a future record of this link (counted from 0 in sending order). */
  attack(a: Attack): void {
    this.#attacks.push(a);
  }

  #relay(msg: WireMessage): void {
    const step = msg.split ? 2 : 1;
    const out: ArrayBuffer[] = [];
    for (let r = 0; r < msg.records.length; r += step) {
      const n = this.#records++;
      const parts = msg.records.slice(r, r + step);
      let rec: ArrayBuffer[] | null = parts;
      this.bytes += parts.reduce((s, b) => s + b.byteLength, 0);
      for (const a of this.#attacks) {
        if (a.kind === 'flip-bit' && a.record === n) {
          // The bit counts through the record as if joined: header first, then body.
          let at = (a.bit >> 3) % parts.reduce((s, b) => s + b.byteLength, 0);
          for (const buf of parts) {
            if (at < buf.byteLength) {
              new Uint8Array(buf)[at]! ^= 1 << (a.bit & 7);
              break;
            }
            at -= buf.byteLength;
          }
        } else if (a.kind === 'replay' && a.record === n) this.#kept.set(n, parts.map((b) => b.slice(0)));
        else if (a.kind === 'drop' && a.record === n) rec = null;
        else if (a.kind === 'reorder' && a.record === n) {
          this.#held = parts;
          rec = null;
        }
      }
      if (rec) out.push(...rec);
      if (this.#held && rec && !this.#attacks.some((a) => a.kind === 'reorder' && a.record === n)) {
        out.push(...this.#held);
        this.#held = null;
      }
      for (const a of this.#attacks) {
        if (a.kind === 'replay' && a.after === n && this.#kept.has(a.record)) out.push(...this.#kept.get(a.record)!.map((b) => b.slice(0)));
      }
    }
    this.forwarded += out.length / step;
    if (out.length) this.#out.postMessage({ records: out, split: msg.split, forwarded: msg.forwarded } satisfies WireMessage, out);
  }

  close(): void {
    this.#in.close();
    this.#out.close();
  }
}
