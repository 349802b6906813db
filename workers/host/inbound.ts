/**
 * Receiving on one link: every record is checked in the order that keeps memory safe — header binding,
 * replay window, page versions, tag — and only then written (or, on a SEmigrate sub host, stored as it
 * came, never opened). Credit goes back to the sender as records are processed. Each accepted page
 * version joins an order-free digest, which the end-of-migration manifest is checked against.
 */
import { decodeHeader, openRecordParts, type Rejection, type SessionKey } from '../crypto/record';
import { ConsumedOnce, ReplayWindow, type SeqGuard } from '../crypto/replay-window';
import { PairDigest } from './pair-digest';
import type { WireMessage } from './types';

export interface InboundHandlers {
  /** Version this host holds of a page (0: none). */
  knownVersion(page: number): number;
  /** Pages accepted from an opened (or clear) record. */
  store(pages: Uint32Array, versions: Uint32Array, body: Uint8Array): void;
  /** A record kept unopened (SEmigrate sub host). */
  keep(pages: Uint32Array, versions: Uint32Array, head: ArrayBuffer, body: ArrayBuffer): void;
  control(round: number, body: Uint8Array, authenticated: boolean): void;
  reject(reason: Rejection, seq: number | null): void;
  /** The key that opens a record on `channel` (forwarded records name their original channel). */
  keyFor(channel: number, forwarded: boolean): SessionKey | null;
  /** A page handed back by a sub host: whether this host asked for it (and it has not come yet). */
  requested(page: number): boolean;
  checks: { binding: boolean; replay: boolean; versions: boolean };
  /** The migration was aborted here: count what arrives, process nothing. */
  stopped(): boolean;
}

export class Inbound {
  readonly link: number;
  /** This worker's record channel id on the link. */
  readonly channel: number;
  readonly #port: MessagePort;
  readonly #h: InboundHandlers;
  readonly #storesCiphertext: boolean;
  readonly #migrationId: Uint8Array;
  readonly #window = new ReplayWindow();
  /** Forwarded records come back in page-in order: each may be consumed once, per original channel. */
  readonly #consumed = new Map<number, ConsumedOnce>();
  readonly accepted = new PairDigest();
  records = 0;

  constructor(link: number, channel: number, port: MessagePort, handlers: InboundHandlers, storesCiphertext: boolean, migrationId: Uint8Array) {
    this.link = link;
    this.channel = channel;
    this.#port = port;
    this.#h = handlers;
    this.#storesCiphertext = storesCiphertext;
    this.#migrationId = migrationId;
  }

  get window(): SeqGuard {
    return this.#window;
  }

  /** Process one message of records: how many it held (for credit), and how many were opened. */
  async receive(msg: WireMessage): Promise<{ records: number; opened: number; pagesOpened: number }> {
    const tally = { records: 0, opened: 0, pagesOpened: 0 };
    if (!msg || msg.t !== 'records' || !Array.isArray(msg.parts) || msg.parts.length % 2 !== 0) {
      this.#h.reject('bad-header', null);
      return tally;
    }
    const h = this.#h;
    let n = 0;
    for (let r = 0; r < msg.parts.length; r += 2) {
      n++;
      this.records++;
      if (h.stopped()) continue;
      const headBuf = msg.parts[r];
      const bodyBuf = msg.parts[r + 1];
      if (!(headBuf instanceof ArrayBuffer) || !(bodyBuf instanceof ArrayBuffer)) {
        h.reject('bad-header', null);
        continue;
      }
      const head = new Uint8Array(headBuf);
      const body = new Uint8Array(bodyBuf);
      const header = decodeHeader(head, body.length);
      if (!header) {
        h.reject('bad-header', null);
        continue;
      }
      const channel = msg.forwarded ? header.channel : this.channel;
      const guard: SeqGuard = msg.forwarded ? this.#consumedFor(channel) : this.#window;
      if (this.#storesCiphertext && header.protection !== 'clear' && !msg.forwarded) {
        const why = this.#checkUnopened(header.migrationId, header.channel, header.seq, header.pages, header.versions, guard);
        if (why) h.reject(why, header.seq);
        else {
          h.keep(header.pages, header.versions, headBuf, bodyBuf);
          this.accepted.add(header.pages, header.versions);
          guard.accept(header.seq);
        }
        continue;
      }
      const key = h.keyFor(channel, msg.forwarded);
      const opened = await openRecordParts(key, { head, body }, { migrationId: this.#migrationId, channel, window: guard, knownVersion: h.knownVersion, checks: h.checks });
      if (!opened.ok) {
        h.reject(opened.reason, opened.seq);
        continue;
      }
      const { header: hd, body: pages } = opened;
      // A sub host answers page-ins: each page in the record must be one this host asked for (a swap is caught here).
      if (msg.forwarded && !hd.pages.every((p) => h.requested(p))) {
        h.reject('not-requested', hd.seq);
        continue;
      }
      if (hd.protection !== 'clear') {
        tally.opened++;
        if (!hd.zero) tally.pagesOpened += hd.pages.length;
      }
      if (hd.pages.length === 0) h.control(hd.round, pages, hd.protection !== 'clear');
      else {
        h.store(hd.pages, hd.versions, pages);
        this.accepted.add(hd.pages, hd.versions);
      }
      guard.accept(hd.seq);
    }
    tally.records = n;
    return tally;
  }

  credit(records: number): void {
    if (records > 0) this.#port.postMessage({ t: 'credit', records } satisfies WireMessage);
  }

  /** What can be checked without a key: binding, window, versions. */
  #checkUnopened(mid: Uint8Array, channel: number, seq: number, pages: Uint32Array, versions: Uint32Array, guard: SeqGuard): Rejection | null {
    const c = this.#h.checks;
    if (c.binding && (channel !== this.channel || mid.length !== this.#migrationId.length || mid.some((b, i) => b !== this.#migrationId[i]))) return 'wrong-migration';
    if (c.replay) {
      const v = guard.check(seq);
      if (v !== 'ok') return v;
    }
    if (c.versions) for (let i = 0; i < pages.length; i++) if (versions[i]! < this.#h.knownVersion(pages[i]!)) return 'stale-version';
    return null;
  }

  #consumedFor(channel: number): ConsumedOnce {
    let c = this.#consumed.get(channel);
    if (!c) this.#consumed.set(channel, (c = new ConsumedOnce()));
    return c;
  }

  close(): void {
    this.#port.onmessage = null;
    this.#port.close();
  }
}
