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
  readonly #kept = new Map<number, ArrayBuffer>();
  #held: ArrayBuffer | null = null;

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
    const out: ArrayBuffer[] = [];
    for (const buf of msg.records) {
      const n = this.#records++;
      this.bytes += buf.byteLength;
      let rec: ArrayBuffer | null = buf;
      for (const a of this.#attacks) {
        if (a.kind === 'flip-bit' && a.record === n) {
          const bytes = new Uint8Array(rec!);
          bytes[(a.bit >> 3) % bytes.length]! ^= 1 << (a.bit & 7);
        } else if (a.kind === 'replay' && a.record === n) this.#kept.set(n, buf.slice(0));
        else if (a.kind === 'drop' && a.record === n) rec = null;
        else if (a.kind === 'reorder' && a.record === n) {
          this.#held = rec;
          rec = null;
        }
      }
      if (rec) out.push(rec);
      if (this.#held && rec && !this.#attacks.some((a) => a.kind === 'reorder' && a.record === n)) {
        out.push(this.#held);
        this.#held = null;
      }
      for (const a of this.#attacks) {
        if (a.kind === 'replay' && a.after === n && this.#kept.has(a.record)) out.push(this.#kept.get(a.record)!.slice(0));
      }
    }
    this.forwarded += out.length;
    if (out.length) this.#out.postMessage({ records: out, forwarded: msg.forwarded } satisfies WireMessage, out);
  }

  close(): void {
    this.#in.close();
    this.#out.close();
  }
}
