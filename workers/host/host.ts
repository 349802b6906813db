/**
 * One host of a migration — source, main destination or sub host — with a real memory image. It seals
 * what it sends and checks what it receives (header, replay window, page versions, tag) before any byte
 * reaches memory. Commands run one at a time, in order, so a guest write never lands mid-seal.
 * SEmigrate sub hosts hold no key: they keep records exactly as received and never decrypt.
 */
import { transfer } from 'comlink';
import { fillPage } from '../../src/core/page-content';
import { PAGE_SIZE } from '../../src/core/units';
import { deriveKey, newKeyPair, publicRaw } from '../crypto/keys';
import { concat, decodeHeader, headerBytes, openRecord, openRecordParts, sealRecord, sealRecordParts, type Protection, type Rejection, type SessionKey } from '../crypto/record';
import { ConsumedOnce, ReplayWindow, type SeqGuard } from '../crypto/replay-window';
import { PagedMemory } from './paged-memory';

export type HostRole = 'source' | 'main' | 'sub';
export type CipherChoice = 'none' | 'aes-gcm' | '3des';

export interface HostConfig {
  role: HostRole;
  /** Index in the run's host list: 0 source, 1 main, 2… sub hosts. */
  index: number;
  pageCount: number;
  seed: number;
  /** Page class codes at the start (the source fills its memory from them). */
  pageClass: Uint8Array;
  migrationId: Uint8Array;
  cipher: CipherChoice;
  /** Per class code: 1 = sealed; 0 = authenticated but readable (SEmigrate's non-sensitive pages). */
  sealedClasses: Uint8Array;
  /** Pages per record on channels to a host that decrypts. */
  framePages: number;
  /** SEmigrate sub host: stores records, never decrypts. */
  storesCiphertext: boolean;
}

export interface Rejected {
  reason: Rejection;
  channel: number;
  seq: number | null;
}

export interface HostStats {
  index: number;
  /** Cipher calls made (one per record sealed or authenticated) and pages they covered. */
  sealCalls: number;
  pagesSealed: number;
  openCalls: number;
  pagesOpened: number;
  recordsIn: number;
  recordsOut: number;
  bytesOut: number;
  storedRecords: number;
  rejected: Rejected[];
  allocatedBytes: number;
  /** Milliseconds this host spent sending (sealing, framing) and receiving (checking, opening, storing). */
  sendMs: number;
  receiveMs: number;
  /** Of which inside the cipher (seal or open, including WebCrypto's scheduling). */
  cryptoMs: number;
  /** Records accepted per channel (rejected ones not counted). */
  acceptedBy: Record<number, number>;
  /**
   * Per channel, the sender's commit: how many records it sent, and whether this host holds them all.
   * A destination resumes the VM only when every commit it got is complete (resumption order).
   */
  commits: Record<number, { sent: number; accepted: number; complete: boolean }>;
  /** Records posted and received, per channel (the runtime's end-to-end barrier counts them). */
  outBy: Record<number, number>;
  inBy: Record<number, number>;
}

/**
 * What crosses a port: a batch of records. With `split`, each record is two transferred buffers in a
 * row — header, then sealed body — so no record is ever copied to join them; otherwise one buffer each.
 */
export interface WireMessage {
  records: ArrayBuffer[];
  split?: boolean;
  /** Records a sub host hands back unchanged (SEmigrate page-in): opened under the original channel. */
  forwarded: boolean;
}

export interface WireSample {
  page: number;
  protection: Protection;
  channel: number;
  /** The first bytes of the page as they crossed the link (ciphertext when sealed). */
  bytes: Uint8Array;
}

interface Outbound {
  port: MessagePort;
  key: SessionKey | null;
  seq: number;
  perPage: boolean;
}

/** Bytes of every sent page kept for the eavesdropper (a hex dump's worth: 32 MiB for a 1 GiB VM). */
const WIRE_SAMPLE_BYTES = 128;
/** `round` value that marks a commit record: the sender's count of records on the channel. */
export const COMMIT_ROUND = 0xffffffff;
const PROTECTION_CODE: Record<Protection, number> = { clear: 1, authenticated: 2, sealed: 3 };
const PROTECTION_OF = [null, 'clear', 'authenticated', 'sealed'] as const;

export class Host {
  #cfg!: HostConfig;
  #mem!: PagedMemory;
  #versions!: Uint32Array;
  #cls!: Uint8Array;
  #pair: Promise<CryptoKeyPair> | null = null;
  readonly #keys = new Map<number, SessionKey>();
  readonly #out = new Map<number, Outbound>();
  readonly #inKey = new Map<number, number>();
  readonly #windows = new Map<number, ReplayWindow>();
  readonly #consumed = new Map<number, ConsumedOnce>();
  readonly #store = new Map<number, Uint8Array>();
  /** Per page: the first bytes as last sent by this host, its protection code (0 = never sent) and channel. */
  #wireBytes = new Uint8Array(0);
  #wireProtection = new Uint8Array(0);
  #wireChannel = new Uint8Array(0);
  #queue: Promise<unknown> = Promise.resolve();
  /** Scratch for record bodies: WebCrypto copies its input when called, so one buffer serves. */
  #scratch = new Uint8Array(0);
  #failure: Error | null = null;
  #stats!: HostStats;

  init(cfg: HostConfig): void {
    this.#cfg = cfg;
    this.#mem = new PagedMemory(cfg.pageCount);
    this.#versions = new Uint32Array(cfg.pageCount);
    this.#cls = cfg.pageClass.slice();
    this.#wireBytes = new Uint8Array(cfg.pageCount * WIRE_SAMPLE_BYTES);
    this.#wireProtection = new Uint8Array(cfg.pageCount);
    this.#wireChannel = new Uint8Array(cfg.pageCount);
    this.#stats = {
      index: cfg.index, sealCalls: 0, pagesSealed: 0, openCalls: 0, pagesOpened: 0, recordsIn: 0, recordsOut: 0,
      bytesOut: 0, storedRecords: 0, rejected: [], allocatedBytes: 0, outBy: {}, inBy: {}, sendMs: 0, receiveMs: 0, cryptoMs: 0, acceptedBy: {}, commits: {},
    };
    if (cfg.role === 'source') {
      for (let p = 0; p < cfg.pageCount; p++) {
        fillPage(this.#mem.page(p), cfg.seed, p, this.#cls[p]!, 0);
        this.#mem.present[p] = 1;
      }
    }
  }

  /** Run `fn` after every earlier command; a failure stops the host for good (reported by `flush`). */
  #serial<T>(fn: () => Promise<T> | T): Promise<T> {
    const next = this.#queue.then(() => {
      if (this.#failure) throw this.#failure;
      return fn();
    });
    this.#queue = next.catch((e: unknown) => {
      this.#failure ??= e instanceof Error ? e : new Error(String(e));
    });
    return next;
  }

  async publicKey(): Promise<Uint8Array> {
    // One key pair per host, however many peers ask at once.
    this.#pair ??= newKeyPair();
    return publicRaw(await this.#pair);
  }

  /** Derive the session key shared with host `peer` from its public key. */
  async agree(peer: number, peerPublic: Uint8Array): Promise<void> {
    if (this.#cfg.cipher === 'none') return;
    if (this.#cfg.storesCiphertext) throw new Error('a SEmigrate sub host holds no key');
    this.#pair ??= newKeyPair();
    this.#keys.set(peer, await deriveKey(await this.#pair, peerPublic, this.#cfg.migrationId, this.#cfg.cipher));
  }

  /** Send on `channel` through `port`, sealing with the key shared with `keyPeer` (null: clear). */
  attachOut(channel: number, port: MessagePort, keyPeer: number | null, perPage: boolean): void {
    const key = keyPeer === null ? null : (this.#keys.get(keyPeer) ?? null);
    if (keyPeer !== null && !key) throw new Error(`host ${this.#cfg.index}: no key with host ${keyPeer} for channel ${channel}`);
    this.#out.set(channel, { port, key, seq: 0, perPage });
  }

  /** Receive on `channel`, opening with the key shared with `keyPeer`. */
  attachIn(channel: number, port: MessagePort, keyPeer: number | null): void {
    if (keyPeer !== null) this.#inKey.set(channel, keyPeer);
    port.onmessage = (e: MessageEvent<WireMessage>) => void this.#serial(() => this.#receive(channel, e.data));
  }

  /** The guest wrote these pages (source): new version, new bytes. */
  write(pages: Uint32Array): Promise<void> {
    return this.#serial(() => {
      for (const p of pages) {
        const v = ++this.#versions[p]!;
        fillPage(this.#mem.page(p), this.#cfg.seed, p, this.#cls[p]!, v);
      }
    });
  }

  /** The guest freed or reused pages: their class changes (their bytes change on the next write). */
  setClass(pages: Uint32Array, cls: number): Promise<void> {
    return this.#serial(() => {
      for (const p of pages) this.#cls[p] = cls;
    });
  }

  /** Seal `pages` into records on `channel` (frames, or one page each) and post them as one message. */
  send(channel: number, pages: Uint32Array, round: number): Promise<void> {
    return this.#serial(async () => {
      const t0 = performance.now();
      const ob = this.#out.get(channel);
      if (!ob) throw new Error(`host ${this.#cfg.index}: no channel ${channel}`);
      const frame = ob.perPage ? 1 : Math.max(1, this.#cfg.framePages);
      const groups: Record<Protection, number[]> = { sealed: [], authenticated: [], clear: [] };
      for (const p of pages) {
        if (!this.#mem.present[p]) throw new Error(`host ${this.#cfg.index} was asked to send page ${p} it does not hold`);
        groups[this.#protectionOf(p, ob.key)].push(p);
      }
      const records: ArrayBuffer[] = [];
      for (const protection of ['sealed', 'authenticated', 'clear'] as const) {
        const list = groups[protection];
        for (let i = 0; i < list.length; i += frame) {
          const part = Uint32Array.from(list.slice(i, i + frame));
          if (this.#scratch.length < part.length * PAGE_SIZE) this.#scratch = new Uint8Array(part.length * PAGE_SIZE);
          const body = this.#scratch.subarray(0, part.length * PAGE_SIZE);
          for (let j = 0; j < part.length; j++) body.set(this.#mem.page(part[j]!), j * PAGE_SIZE);
          const header = {
            protection, suite: ob.key?.suite ?? 'aes-gcm', migrationId: this.#cfg.migrationId, channel, seq: ob.seq++, round,
            pages: part, versions: Uint32Array.from(part, (p) => this.#versions[p]!),
          } as const;
          const c0 = performance.now();
          const sealed = await sealRecordParts(ob.key, header, body);
          this.#stats.cryptoMs += performance.now() - c0;
          if (protection !== 'clear') {
            this.#stats.sealCalls++;
            this.#stats.pagesSealed += part.length;
          }
          this.#sample(sealed.body, header.pages, protection, ob.key?.suite ?? 'aes-gcm', channel);
          records.push(sealed.head.buffer as ArrayBuffer, sealed.body.buffer as ArrayBuffer);
          this.#stats.bytesOut += sealed.head.length + sealed.body.length;
        }
      }
      const count = records.length / 2;
      this.#stats.recordsOut += count;
      this.#stats.outBy[channel] = (this.#stats.outBy[channel] ?? 0) + count;
      ob.port.postMessage({ records, split: true, forwarded: false } satisfies WireMessage, records);
      this.#stats.sendMs += performance.now() - t0;
    });
  }

  /**
   * End of migration on `channel`: a sealed record carrying how many records were sent before it, so
   * the receiver can refuse to resume the VM if any is missing (Zhang & Chen's resumption order).
   */
  commit(channel: number): Promise<void> {
    return this.#serial(async () => {
      const ob = this.#out.get(channel);
      if (!ob) throw new Error(`host ${this.#cfg.index}: no channel ${channel}`);
      const sent = ob.seq;
      const body = new Uint8Array(8);
      new DataView(body.buffer).setUint32(0, Math.floor(sent / 2 ** 32));
      new DataView(body.buffer).setUint32(4, sent >>> 0);
      const protection: Protection = ob.key ? 'sealed' : 'clear';
      const header = {
        protection, suite: ob.key?.suite ?? 'aes-gcm', migrationId: this.#cfg.migrationId, channel, seq: ob.seq++, round: COMMIT_ROUND,
        pages: new Uint32Array(0), versions: new Uint32Array(0),
      } as const;
      const rec = await sealRecord(ob.key, header, body);
      this.#stats.outBy[channel] = (this.#stats.outBy[channel] ?? 0) + 1;
      ob.port.postMessage({ records: [rec.buffer as ArrayBuffer], forwarded: false } satisfies WireMessage, [rec.buffer as ArrayBuffer]);
    });
  }

  /** SEmigrate sub host: hand stored records back to the main host unchanged (a page-in). */
  forward(channel: number, pages: Uint32Array): Promise<void> {
    return this.#serial(() => {
      const ob = this.#out.get(channel);
      if (!ob) throw new Error(`host ${this.#cfg.index}: no channel ${channel}`);
      const records = Array.from(pages, (p) => {
        const rec = this.#store.get(p);
        if (!rec) throw new Error(`sub host ${this.#cfg.index} holds no record of page ${p}`);
        this.#store.delete(p);
        this.#mem.present[p] = 0;
        return rec.slice().buffer as ArrayBuffer;
      });
      this.#stats.recordsOut += records.length;
      this.#stats.outBy[channel] = (this.#stats.outBy[channel] ?? 0) + records.length;
      ob.port.postMessage({ records, forwarded: true } satisfies WireMessage, records);
    });
  }

  #protectionOf(p: number, key: SessionKey | null): Protection {
    if (!key) return 'clear';
    return this.#cfg.sealedClasses[this.#cls[p]!] ? 'sealed' : 'authenticated';
  }

  async #receive(channel: number, msg: WireMessage): Promise<void> {
    const t0 = performance.now();
    try {
      await this.#receiveRecords(channel, msg);
    } finally {
      this.#stats.receiveMs += performance.now() - t0;
    }
  }

  async #receiveRecords(channel: number, msg: WireMessage): Promise<void> {
    const step = msg.split ? 2 : 1;
    this.#stats.inBy[channel] = (this.#stats.inBy[channel] ?? 0) + msg.records.length / step;
    for (let r = 0; r < msg.records.length; r += step) {
      this.#stats.recordsIn++;
      const parts = msg.split ? { head: new Uint8Array(msg.records[r]!), body: new Uint8Array(msg.records[r + 1]!) } : null;
      // A record a sub host keeps (one page) is joined; everything else is opened from its parts.
      const rec = parts ? (this.#cfg.storesCiphertext ? concat(parts.head, parts.body) : parts.head) : new Uint8Array(msg.records[r]!);
      const h = parts && !this.#cfg.storesCiphertext ? decodeHeader(parts.head, parts.body.length) : decodeHeader(rec);
      const on = msg.forwarded && h ? h.channel : channel;
      const window: SeqGuard = msg.forwarded ? this.#consumedFor(on) : this.#windowFor(on);
      if (this.#cfg.storesCiphertext && h && h.protection !== 'clear') {
        this.#storeUnopened(rec, on, window);
        continue;
      }
      const keyPeer = msg.forwarded ? 0 : this.#inKey.get(channel);
      const key = keyPeer === undefined ? null : (this.#keys.get(keyPeer) ?? null);
      const expectation = {
        migrationId: this.#cfg.migrationId,
        channel: on,
        window,
        knownVersion: (p: number) => (this.#mem.present[p] ? this.#versions[p]! : 0),
      };
      const opened = parts ? await openRecordParts(key, parts, expectation) : await openRecord(key, rec, expectation);
      if (!opened.ok) {
        this.#stats.rejected.push({ reason: opened.reason, channel: on, seq: opened.seq });
        continue;
      }
      const { header, body } = opened;
      if (header.round === COMMIT_ROUND && header.pages.length === 0) {
        // Clear commits carry their count after the header; sealed ones in the opened body.
        const bytes = header.protection === 'clear' ? (parts ? parts.body : rec.subarray(headerBytes(0))) : body;
        const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const sent = v.byteLength >= 8 ? v.getUint32(0) * 2 ** 32 + v.getUint32(4) : -1;
        const accepted = this.#stats.acceptedBy[on] ?? 0;
        this.#stats.commits[on] = { sent, accepted, complete: sent === accepted };
        window.accept(header.seq);
        continue;
      }
      this.#stats.acceptedBy[on] = (this.#stats.acceptedBy[on] ?? 0) + 1;
      if (header.protection !== 'clear') {
        this.#stats.openCalls++;
        this.#stats.pagesOpened += header.pages.length;
      }
      header.pages.forEach((p, i) => {
        this.#mem.write(p, body.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE));
        this.#versions[p] = header.versions[i]!;
        this.#store.delete(p);
      });
      window.accept(header.seq);
    }
  }

  /** SEmigrate: check what can be checked without a key, then keep the record as it came. */
  #storeUnopened(rec: Uint8Array, channel: number, window: SeqGuard): void {
    const h = decodeHeader(rec)!;
    const fail = (reason: Rejection): void => void this.#stats.rejected.push({ reason, channel, seq: h.seq });
    if (!equal(h.migrationId, this.#cfg.migrationId)) return fail('wrong-migration');
    const verdict = window.check(h.seq);
    if (verdict !== 'ok') return fail(verdict);
    if (h.pages.some((p, i) => this.#mem.present[p] === 1 && h.versions[i]! < this.#versions[p]!)) return fail('stale-version');
    for (let i = 0; i < h.pages.length; i++) {
      const p = h.pages[i]!;
      this.#store.set(p, rec);
      this.#versions[p] = h.versions[i]!;
      this.#mem.present[p] = 1;
    }
    this.#stats.storedRecords = this.#store.size;
    window.accept(h.seq);
  }

  #consumedFor(channel: number): ConsumedOnce {
    let c = this.#consumed.get(channel);
    if (!c) this.#consumed.set(channel, (c = new ConsumedOnce()));
    return c;
  }

  #windowFor(channel: number): ReplayWindow {
    let w = this.#windows.get(channel);
    if (!w) this.#windows.set(channel, (w = new ReplayWindow()));
    return w;
  }

  /** Keep the first bytes of each page as it goes on the wire (what an eavesdropper would capture). */
  #sample(sealedBody: Uint8Array, pages: Uint32Array, protection: Protection, suite: string, channel: number): void {
    const rec = sealedBody;
    const at = protection === 'sealed' && suite === '3des' ? 8 : 0;
    for (let i = 0; i < pages.length; i++) {
      const p = pages[i]!;
      const from = at + i * PAGE_SIZE;
      this.#wireBytes.set(rec.subarray(from, from + WIRE_SAMPLE_BYTES), p * WIRE_SAMPLE_BYTES);
      this.#wireProtection[p] = PROTECTION_CODE[protection];
      this.#wireChannel[p] = channel;
    }
  }

  /** Wait until every command and every received message so far has been handled. */
  flush(): Promise<HostStats> {
    return this.#serial(() => this.stats());
  }

  stats(): HostStats {
    return {
      ...this.#stats,
      storedRecords: this.#store.size,
      allocatedBytes: this.#mem.allocatedBytes,
      rejected: this.#stats.rejected.slice(),
      outBy: { ...this.#stats.outBy },
      inBy: { ...this.#stats.inBy },
      acceptedBy: { ...this.#stats.acceptedBy },
      commits: structuredClone(this.#stats.commits),
    };
  }

  /** Plaintext of pages [from, from + count) (zeros where this host holds nothing), and their versions. */
  exportPages(from: number, count: number): { bytes: Uint8Array; versions: Uint32Array; present: Uint8Array } {
    const bytes = new Uint8Array(count * PAGE_SIZE);
    for (let i = 0; i < count; i++) if (this.#mem.present[from + i]) bytes.set(this.#mem.page(from + i), i * PAGE_SIZE);
    const out = { bytes, versions: this.#versions.slice(from, from + count), present: this.#mem.present.slice(from, from + count) };
    // Moved, not copied, back to the page (a no-op when called in the same thread).
    return transfer(out, [bytes.buffer, out.versions.buffer, out.present.buffer]);
  }

  /** For the final check: stored records of these pages (SEmigrate sub host), as they are. */
  exportRecords(pages: Uint32Array): ArrayBuffer[] {
    return Array.from(pages, (p) => {
      const rec = this.#store.get(p);
      return rec ? (rec.slice().buffer as ArrayBuffer) : new ArrayBuffer(0);
    });
  }

  /**
   * Main host, for the final check only: open records kept by a SEmigrate sub host and return the
   * plaintext of the wanted pages. Nothing is written to memory.
   */
  async openForCheck(records: ArrayBuffer[], pages: Uint32Array): Promise<Uint8Array> {
    const out = new Uint8Array(pages.length * PAGE_SIZE);
    const key = this.#keys.get(0) ?? null;
    const done = (): Uint8Array => transfer(out, [out.buffer]);
    for (let i = 0; i < records.length; i++) {
      const rec = new Uint8Array(records[i]!);
      const h = decodeHeader(rec);
      if (!h) continue;
      const r = await openRecord(key, rec, { migrationId: this.#cfg.migrationId, channel: h.channel, window: new ReplayWindow(), knownVersion: () => 0 });
      if (!r.ok) continue;
      const j = r.header.pages.indexOf(pages[i]!);
      if (j >= 0) out.set(r.body.subarray(j * PAGE_SIZE, (j + 1) * PAGE_SIZE), i * PAGE_SIZE);
    }
    return done();
  }

  /**
   * Calibration: seal `pages` pages of 4 KiB in records of `framePages` with a fresh AES-GCM key on this
   * thread, and report the real cost (one WebCrypto call per record).
   */
  async measureSeal(
    framePages: number,
    pages: number,
    /** Seal distinct bytes from a large image (as a migration does) instead of one hot buffer. */
    cold = false,
  ): Promise<{ pagesPerSecond: number; bytesPerSecond: number; callsPerSecond: number; microsPerCall: number }> {
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt']);
    const image = cold ? new Uint8Array(Math.max(1, Math.ceil(pages / framePages)) * framePages * PAGE_SIZE).fill(7) : null;
    const hot = new Uint8Array(framePages * PAGE_SIZE).map((_, i) => i & 0xff);
    const bodyFor = (i: number): Uint8Array => (image ? image.subarray(i * framePages * PAGE_SIZE, (i + 1) * framePages * PAGE_SIZE) : hot);
    const body = hot;
    const aad = new Uint8Array(headerBytes(framePages));
    const iv = new Uint8Array(12);
    const view = new DataView(iv.buffer);
    const calls = Math.max(1, Math.ceil(pages / framePages));
    // warm up
    for (let i = 0; i < 8; i++) await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, body);
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) {
      view.setUint32(8, i + 100);
      await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, bodyFor(i) as Uint8Array<ArrayBuffer>);
    }
    const s = (performance.now() - t0) / 1000;
    const sealed = calls * framePages;
    return { pagesPerSecond: sealed / s, bytesPerSecond: (sealed * PAGE_SIZE) / s, callsPerSecond: calls / s, microsPerCall: (s / calls) * 1e6 };
  }

  /** Calibration of the whole record path: `sealRecord` with a session key derived as in a migration. */
  async measureRecordSeal(framePages: number, pages: number): Promise<{ pagesPerSecond: number; microsPerCall: number; noCopyMicros: number }> {
    const a = await newKeyPair();
    const b = await newKeyPair();
    const key = await deriveKey(a, await publicRaw(b), new Uint8Array(16), 'aes-gcm');
    const body = new Uint8Array(framePages * PAGE_SIZE).fill(3);
    const calls = Math.max(1, Math.ceil(pages / framePages));
    const list = Uint32Array.from({ length: framePages }, (_, i) => i);
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) {
      await sealRecord(key, { protection: 'sealed', suite: 'aes-gcm', migrationId: new Uint8Array(16), channel: 1, seq: i, round: 1, pages: list, versions: list }, body);
    }
    const s = (performance.now() - t0) / 1000;
    // The same without the final copy of header and ciphertext into one buffer: what that copy costs.
    const raw = key.suite === 'aes-gcm' ? key.key : null;
    if (!raw) throw new Error('measureRecordSeal needs an AES-GCM key');
    const t1 = performance.now();
    for (let i = 0; i < calls; i++) {
      const head = new Uint8Array(headerBytes(framePages));
      await crypto.subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12).fill(i & 255), additionalData: head, tagLength: 128 }, raw, body);
    }
    const s2 = (performance.now() - t1) / 1000;
    return { pagesPerSecond: (calls * framePages) / s, microsPerCall: (s / calls) * 1e6, noCopyMicros: (s2 / calls) * 1e6 };
  }

  /** What an eavesdropper on the link saw of this page most recently, if this host sent it. */
  wireSample(page: number): WireSample | null {
    const protection = PROTECTION_OF[this.#wireProtection[page] ?? 0];
    if (!protection) return null;
    const bytes = this.#wireBytes.slice(page * WIRE_SAMPLE_BYTES, (page + 1) * WIRE_SAMPLE_BYTES);
    return { page, protection, channel: this.#wireChannel[page]!, bytes };
  }

  /** Test hook for attacks: the last record this host sent on a channel is captured by the runtime. */
  get index(): number {
    return this.#cfg.index;
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
