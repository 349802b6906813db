/**
 * A network link between two channel workers, relayed through the page's thread so that what crosses
 * it can be watched and attacked for real: records one way, credit the other. The attacker acts on
 * records by their order on the link (flip a bit, replay, reorder, drop, splice in a foreign record,
 * strip or swap the cipher) and on the handshake and control messages the runtime carries across it.
 * Buffers are transferred, never copied, on the way through.
 */
import type { WireMessage } from '../../workers/host/types';

export type RecordAttack =
  | { kind: 'flip-bit'; record: number; bit: number }
  | { kind: 'replay'; record: number; after: number }
  | { kind: 'reorder'; record: number }
  | { kind: 'drop'; record: number }
  /** The connection drops: `count` records from this one are lost (post-copy recovery re-sends them). */
  | { kind: 'reset'; record: number; count: number }
  /** Put a captured record (header and body) in at this point. */
  | { kind: 'inject'; after: number; parts: () => ArrayBuffer[] | null }
  /** Rewrite record headers from this point: clear the protection flag or switch the suite flag. */
  | { kind: 'rewrite'; from: number; flags: (flag: number) => number }
  /** Keep a copy of a record for splicing elsewhere. */
  | { kind: 'capture'; record: number; into: (parts: ArrayBuffer[]) => void }
  /** Bad records from this point, `count` of them (a flood). */
  | { kind: 'flood'; after: number; count: number };

export class Link {
  readonly link: number;
  readonly channel: number;
  /** Ports to hand to the sender and to the receiver. */
  readonly senderPort: MessagePort;
  readonly receiverPort: MessagePort;
  readonly #fromSender: MessagePort;
  readonly #toReceiver: MessagePort;
  #records = 0;
  /** Records posted on to the receiver (after any attack added or removed some). */
  forwarded = 0;
  readonly #attacks: RecordAttack[] = [];
  readonly #kept = new Map<number, ArrayBuffer[]>();
  #held: ArrayBuffer[] | null = null;
  /** What an attack did, in words, for the security lab's log. */
  readonly log: string[] = [];

  constructor(link: number, channel: number) {
    this.link = link;
    this.channel = channel;
    const a = new MessageChannel();
    const b = new MessageChannel();
    this.senderPort = a.port1;
    this.#fromSender = a.port2;
    this.#toReceiver = b.port1;
    this.receiverPort = b.port2;
    this.#fromSender.onmessage = (e: MessageEvent<WireMessage>) => this.#relay(e.data);
    // Credit flows back untouched: the attacker here works on records.
    this.#toReceiver.onmessage = (e: MessageEvent<WireMessage>) => this.#fromSender.postMessage(e.data);
  }

  /** Records that reached the link from the sender. */
  get records(): number {
    return this.#records;
  }

  attack(a: RecordAttack): void {
    this.#attacks.push(a);
  }

  #relay(msg: WireMessage): void {
    if (msg?.t !== 'records') return;
    const out: ArrayBuffer[] = [];
    let extraCredit = 0;
    for (let r = 0; r < msg.parts.length; r += 2) {
      const n = this.#records++;
      const parts = [msg.parts[r]!, msg.parts[r + 1]!];
      let pass: ArrayBuffer[] | null = parts;
      for (const a of this.#attacks) {
        if (a.kind === 'flip-bit' && a.record === n) {
          // The bit counts through the record as if joined: header first, then body.
          let at = (a.bit >> 3) % (parts[0]!.byteLength + parts[1]!.byteLength);
          const buf = at < parts[0]!.byteLength ? parts[0]! : parts[1]!;
          if (buf === parts[1]) at -= parts[0]!.byteLength;
          new Uint8Array(buf)[at]! ^= 1 << (a.bit & 7);
          this.log.push(`flipped bit ${a.bit} of record ${n}`);
        } else if (a.kind === 'replay' && a.record === n) this.#kept.set(n, parts.map((b) => b.slice(0)));
        else if (a.kind === 'capture' && a.record === n) a.into(parts.map((b) => b.slice(0)));
        else if (a.kind === 'drop' && a.record === n) {
          pass = null;
          extraCredit++;
          this.log.push(`dropped record ${n}`);
        } else if (a.kind === 'reset' && n >= a.record && n < a.record + a.count) {
          pass = null;
          extraCredit++;
          if (n === a.record) this.log.push(`the link was reset at record ${n}: ${a.count} records lost`);
        } else if (a.kind === 'reorder' && a.record === n) {
          this.#held = parts;
          pass = null;
          this.log.push(`held record ${n} back to send it after the next`);
        } else if (a.kind === 'rewrite' && n >= a.from) {
          const head = new Uint8Array(parts[0]!);
          if (head.length > 5) head[5] = a.flags(head[5]!);
        }
      }
      if (pass) out.push(...pass);
      if (this.#held && pass && !this.#attacks.some((a) => a.kind === 'reorder' && a.record === n)) {
        out.push(...this.#held);
        this.#held = null;
      }
      for (const a of this.#attacks) {
        if (a.kind === 'replay' && a.after === n && this.#kept.has(a.record)) {
          out.push(...this.#kept.get(a.record)!.map((b) => b.slice(0)));
          this.log.push(`replayed record ${a.record} after record ${n}`);
        } else if (a.kind === 'inject' && a.after === n) {
          const p = a.parts();
          if (p) {
            out.push(...p);
            this.log.push(`spliced a foreign record in after record ${n}`);
          }
        } else if (a.kind === 'flood' && a.after === n) {
          for (let k = 0; k < a.count; k++) out.push(garbage(parts[0]!, k), new Uint8Array(64).fill(k).buffer);
          this.log.push(`sent ${a.count} forged records`);
        }
      }
    }
    this.forwarded += out.length / 2;
    if (out.length) this.#toReceiver.postMessage({ t: 'records', parts: out, forwarded: msg.forwarded } satisfies WireMessage, out);
    // A dropped record is never answered: give its credit back so the sender is not starved.
    if (extraCredit) this.#fromSender.postMessage({ t: 'credit', records: extraCredit } satisfies WireMessage);
  }

  close(): void {
    this.#fromSender.close();
    this.#toReceiver.close();
  }
}

/** A forged record: a real header's shape with a nonsense sequence number, and no valid tag. */
function garbage(head: ArrayBuffer, k: number): ArrayBuffer {
  const h = head.slice(0);
  const v = new DataView(h);
  if (h.byteLength >= 36) v.setUint32(32, 0x7fff0000 + k, true);
  return h;
}
