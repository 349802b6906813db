/**
 * Sending on one link: pages sealed into records (one WebCrypto call per record of `framePages` pages),
 * posted as header and body buffers that are transferred, never copied, and paced by credit: at most
 * `window` records may be unanswered, and the receiver returns credit as it processes them (windowed
 * flow control, instead of barriers that drain the pipe). Records go several to a message: each message
 * costs both workers a structured clone and an event, and so does its credit coming back.
 */
import { sealRecordParts, type Protection, type RecordHeader, type SessionKey } from '../crypto/record';
import type { WireMessage } from './types';

/** Records per message (flushed sooner when the sender is about to wait for credit or is done). */
export const RECORDS_PER_MESSAGE = 16;

export class Outbound {
  readonly link: number;
  readonly port: MessagePort;
  readonly key: SessionKey | null;
  /** One page per record (to a SEmigrate sub host, so each page can be handed back alone). */
  readonly perPage: boolean;
  #credits: number;
  #waiters: (() => void)[] = [];
  #pending: ArrayBuffer[] = [];
  /** Sum of the time spent waiting for credit, ms. */
  waitedMs = 0;

  constructor(link: number, port: MessagePort, key: SessionKey | null, perPage: boolean, window: number) {
    this.link = link;
    this.port = port;
    this.key = key;
    this.perPage = perPage;
    this.#credits = window;
    port.onmessage = (e: MessageEvent<WireMessage>) => {
      const m = e.data;
      if (m && m.t === 'credit' && Number.isInteger(m.records) && m.records > 0 && m.records <= 1 << 20) {
        this.#credits += m.records;
        const w = this.#waiters;
        this.#waiters = [];
        w.forEach((f) => f());
      }
    };
  }

  /** Wait until `n` records may be sent (at least one, whatever the window). */
  async acquire(n: number): Promise<void> {
    const t0 = performance.now();
    // Records held for batching must leave before waiting: their credit is what we wait for.
    if (this.#credits <= 0) this.flush();
    while (this.#credits <= 0) await new Promise<void>((r) => this.#waiters.push(r));
    this.#credits -= n;
    this.waitedMs += performance.now() - t0;
  }

  /** Post records (header and body buffers in turn) at once, transferring them. */
  post(parts: ArrayBuffer[], forwarded = false): void {
    this.port.postMessage({ t: 'records', parts, forwarded } satisfies WireMessage, parts);
  }

  /** Queue one record's parts; they leave with the next few, or at `flush`. */
  queue(parts: ArrayBuffer[]): void {
    this.#pending.push(...parts);
    if (this.#pending.length >= RECORDS_PER_MESSAGE * 2) this.flush();
  }

  flush(): void {
    if (!this.#pending.length) return;
    const parts = this.#pending;
    this.#pending = [];
    this.post(parts);
  }

  async seal(header: RecordHeader, body: Uint8Array): Promise<{ head: Uint8Array; body: Uint8Array }> {
    return sealRecordParts(header.protection === 'clear' ? null : this.key, header, body);
  }

  close(): void {
    this.flush();
    this.port.onmessage = null;
    this.port.close();
  }
}

export type { Protection };
