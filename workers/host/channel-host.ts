/**
 * One channel worker of a host — source, main destination or sub host — with a real copy of its slice
 * of guest memory. It seals what it sends and checks what it receives before any byte reaches memory.
 * Commands run one at a time, in order, so a guest write never lands mid-seal; a failure stops the
 * worker for good and is reported by the next `flush`.
 */
import { fillPage, stampCanary } from '../../src/core/page-content';
import { PAGE_SIZE } from '../../src/core/units';
import type { Hello } from '../crypto/keys';
import { CONTROL_ROUND_BASE, decodeHeader, nonceHex, openRecordParts, recordChannel, sealRecordParts, type Protection, type Rejection, type SessionKey } from '../crypto/record';
import { ReplayWindow } from '../crypto/replay-window';
import { Inbound } from './inbound';
import { checkDigest, exportPages } from './memory-check';
import { Outbound } from './outbound';
import { PagedMemory } from './paged-memory';
import { PairDigest } from './pair-digest';
import { Sessions } from './session';
import { channelOf } from './slice';
import { CONTROL_KINDS, type ChannelConfig, type ControlKind, type ControlOpened, type HandshakeVerdict, type HostStats, type Rejected, type WireMessage } from './types';
import { WireTap } from './wire-tap';

export class ChannelHost {
  cfg!: ChannelConfig;
  mem!: PagedMemory;
  versions!: Uint32Array;
  cls!: Uint8Array;
  sessions!: Sessions;
  tap!: WireTap;
  readonly out = new Map<number, { ob: Outbound; sent: PairDigest; sealVia: number; records: number }>();
  readonly in = new Map<number, Inbound>();
  /** Records a SEmigrate sub host keeps, by page: header and body as they came. */
  readonly store = new Map<number, [ArrayBuffer, ArrayBuffer]>();
  /** The record each stored page had before its latest one (kept only for the rollback attack). */
  readonly history = new Map<number, [ArrayBuffer, ArrayBuffer]>();
  /** Pages this (main) host asked sub hosts to hand back and has not yet received. */
  readonly pageIns = new Set<number>();
  /** Source: the latest version of each page placed on a SEmigrate sub host, by link (the main host's page table). */
  readonly placed = new Map<number, Map<number, number>>();
  /** Control records that arrived in the page stream (manifest, unused list, …), for the runtime. */
  readonly controls: { link: number; kind: ControlKind; payload: Uint8Array; authenticated: boolean }[] = [];
  readonly #reverseWindows = new Map<number, ReplayWindow>();
  #queue: Promise<unknown> = Promise.resolve();
  #failure: Error | null = null;
  #scratch = new Uint8Array(0);
  stats!: HostStats;

  init(cfg: ChannelConfig): void {
    this.cfg = cfg;
    this.mem = new PagedMemory(cfg.pageCount);
    this.versions = new Uint32Array(cfg.pageCount);
    this.cls = cfg.pageClass.slice();
    this.sessions = new Sessions(cfg);
    this.tap = new WireTap(cfg.pageCount, cfg.channel);
    if (cfg.canaryPages.length) this.tap.watchFor([new TextEncoder().encode(cfg.canaryPrefix)]);
    this.stats = {
      host: cfg.host, channel: cfg.channel, sealCalls: 0, pagesSealed: 0, openCalls: 0, pagesOpened: 0, recordsIn: 0, recordsOut: 0, bytesOut: 0,
      storedRecords: 0, rejected: [], allocatedBytes: 0, sendMs: 0, receiveMs: 0, cryptoMs: 0, creditWaitMs: 0, sent: {}, accepted: {}, nonces: [],
      aborted: false, pendingPageIns: 0,
    };
    if (cfg.role === 'source') {
      for (let p = 0; p < cfg.pageCount; p++) if (this.mine(p)) this.#fill(p);
    }
  }

  /** Whether page `p` belongs to this worker's slice. */
  mine(p: number): boolean {
    return channelOf(p, this.cfg.channels) === this.cfg.channel;
  }

  #fill(p: number): void {
    const page = this.mem.page(p);
    fillPage(page, this.cfg.seed, p, this.cls[p]!, this.versions[p]!);
    if (this.cfg.canaryPages.length && binaryHas(this.cfg.canaryPages, p)) stampCanary(page, this.cfg.canaryPrefix, p);
    this.mem.present[p] = 1;
  }

  /** Run `fn` after every earlier command; a failure stops this worker for good. */
  serial<T>(fn: () => Promise<T> | T): Promise<T> {
    const next = this.#queue.then(() => {
      if (this.#failure) throw this.#failure;
      return fn();
    });
    this.#queue = next.catch((e: unknown) => {
      this.#failure ??= e instanceof Error ? e : new Error(String(e));
    });
    return next;
  }

  hello(link: number, peerHost: number): Promise<Hello> {
    return this.sessions.hello(link, peerHost);
  }

  accept(link: number, peer: Hello): Promise<HandshakeVerdict> {
    return this.sessions.accept(link, peer);
  }

  /** Send on `link` through `port`, sealing with the keys of link `sealVia` (itself, or the main host's for a SEmigrate sub host). */
  attachOut(link: number, port: MessagePort, peerHost: number, sealVia: number, perPage: boolean): void {
    const key = this.sessions.get(sealVia)?.send ?? null;
    this.sessions.plain(link, peerHost);
    this.out.set(link, { ob: new Outbound(link, port, key, perPage, this.cfg.window), sent: new PairDigest(), sealVia, records: 0 });
  }

  /** Receive on `link`. */
  attachIn(link: number, port: MessagePort, peerHost: number): void {
    const cfg = this.cfg;
    const d = cfg.defences;
    this.sessions.plain(link, peerHost);
    const ib = new Inbound(link, recordChannel(link, cfg.channel), port, {
      // The highest version ever accepted, kept after a page leaves again: an old copy handed back later is a rollback.
      knownVersion: (p) => this.versions[p]!,
      store: (pages, versions, body) => {
        for (let i = 0; i < pages.length; i++) {
          const p = pages[i]!;
          this.mem.write(p, body.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE));
          this.versions[p] = versions[i]!;
          this.store.delete(p);
        }
      },
      keep: (pages, versions, head, body) => {
        for (let i = 0; i < pages.length; i++) {
          const before = this.store.get(pages[i]!);
          if (before && cfg.keepHistory) this.history.set(pages[i]!, before);
          this.store.set(pages[i]!, [head, body]);
          this.versions[pages[i]!] = versions[i]!;
        }
      },
      control: (round, body, authenticated) => {
        const kind = CONTROL_KINDS[round - CONTROL_ROUND_BASE];
        if (kind) this.controls.push({ link, kind, payload: body.slice(), authenticated });
      },
      reject: (reason, seq) => this.#reject(reason, link, seq),
      keyFor: (channel, forwarded) => this.#openingKey(link, channel, forwarded),
      requested: (p) => this.pageIns.delete(p),
      stopped: () => this.stats.aborted,
      checks: { binding: d.binding, replay: d.replay, versions: d.versions },
    }, cfg.storesCiphertext, cfg.migrationId);
    this.in.set(link, ib);
    port.onmessage = (e: MessageEvent<WireMessage>) => {
      void this.serial(async () => {
        if (this.stats.aborted) {
          // Aborted: nothing more is opened or stored, but records are counted and credited so no one waits on them.
          const n = e.data?.t === 'records' && Array.isArray(e.data.parts) ? e.data.parts.length >> 1 : 0;
          ib.records += n;
          this.stats.recordsIn += n;
          ib.credit(n);
          return;
        }
        const t0 = performance.now();
        const n = await ib.receive(e.data);
        this.stats.recordsIn += n.records;
        this.stats.openCalls += n.opened;
        this.stats.pagesOpened += n.pagesOpened;
        this.stats.receiveMs += performance.now() - t0;
        ib.credit(n.records);
      });
    };
  }

  /** Count a rejection; past the failure limit this worker aborts: a flood cannot keep it busy or wear down its checks. */
  #reject(reason: Rejected['reason'], link: number, seq: number | null): void {
    this.stats.rejected.push({ reason, link, seq });
    if (this.stats.rejected.length >= this.cfg.failureLimit) this.stats.aborted = true;
  }

  /**
   * The key that opens a record on `channel`. Forwarded records (a SEmigrate sub host handing back what
   * it stored) were sealed either by the source (opened as the source's pages) or by this main host
   * when it paged them out (opened with the key it sealed them with).
   */
  #openingKey(link: number, channel: number, forwarded: boolean): SessionKey | null {
    if (!forwarded) return this.sessions.get(link)?.receive ?? null;
    const origin = Math.floor(channel / 256);
    const toMain = this.sessions.get(1);
    return origin < 16 ? (toMain?.receive ?? null) : (toMain?.send ?? null);
  }

  /** The guest wrote these pages (source): a new version, new bytes. */
  write(pages: Uint32Array): Promise<void> {
    return this.serial(() => {
      for (const p of pages) {
        this.versions[p]!++;
        this.#fill(p);
      }
    });
  }

  setClass(pages: Uint32Array, cls: number): Promise<void> {
    return this.serial(() => {
      for (const p of pages) this.cls[p] = cls;
    });
  }

  #protectionOf(p: number, key: SessionKey | null): Protection {
    if (!key) return 'clear';
    return this.cfg.sealedClasses[this.cls[p]!] ? 'sealed' : 'authenticated';
  }

  /** Seal `pages` into records on `link` and post them as credit allows. */
  send(link: number, pages: Uint32Array, round: number, resend = false): Promise<void> {
    return this.serial(async () => {
      const t0 = performance.now();
      const o = this.out.get(link);
      if (!o) throw new Error(`host ${this.cfg.host}/${this.cfg.channel}: no link ${link}`);
      const { ob } = o;
      const session = this.sessions.get(link)!;
      const frame = ob.perPage ? 1 : Math.max(1, this.cfg.framePages);
      const groups: Record<Protection, number[]> = { sealed: [], authenticated: [], clear: [] };
      for (const p of pages) {
        if (!this.mem.present[p]) throw new Error(`host ${this.cfg.host} was asked to send page ${p} it does not hold`);
        groups[this.#protectionOf(p, ob.key)].push(p);
      }
      for (const protection of ['sealed', 'authenticated', 'clear'] as const) {
        const list = groups[protection];
        for (let i = 0; i < list.length; i += frame) {
          const part = Uint32Array.from(list.slice(i, i + frame));
          if (this.#scratch.length < part.length * PAGE_SIZE) this.#scratch = new Uint8Array(part.length * PAGE_SIZE);
          const body = this.#scratch.subarray(0, part.length * PAGE_SIZE);
          for (let j = 0; j < part.length; j++) body.set(this.mem.page(part[j]!), j * PAGE_SIZE);
          const versions = Uint32Array.from(part, (p) => this.versions[p]!);
          const channel = recordChannel(link, this.cfg.channel);
          const header = { protection, suite: ob.key?.suite ?? 'aes-gcm', migrationId: this.cfg.migrationId, channel, seq: session.seq++, round, pages: part, versions } as const;
          await ob.acquire(1);
          const c0 = performance.now();
          const sealed = await ob.seal(header, body);
          this.stats.cryptoMs += performance.now() - c0;
          if (protection !== 'clear') {
            this.stats.sealCalls++;
            this.stats.pagesSealed += part.length;
            if (this.cfg.auditNonces) this.stats.nonces.push(`${this.cfg.host}:${this.cfg.channel}:${o.sealVia}|${nonceHex(channel, header.seq)}`);
          }
          this.tap.sample(sealed.body, part, protection, protection === 'sealed' && header.suite === '3des' ? 8 : 0, link);
          // A re-send after a link reset replaces records that never arrived: the manifest counts each version once.
          if (!resend) o.sent.add(part, versions);
          if (ob.perPage) {
            let m = this.placed.get(link);
            if (!m) this.placed.set(link, (m = new Map()));
            for (let j = 0; j < part.length; j++) m.set(part[j]!, versions[j]!);
          }
          o.records++;
          ob.post([sealed.head.buffer as ArrayBuffer, sealed.body.buffer as ArrayBuffer]);
          this.stats.recordsOut++;
          this.stats.bytesOut += sealed.head.length + sealed.body.length;
        }
      }
      this.stats.creditWaitMs = [...this.out.values()].reduce((s, x) => s + x.ob.waitedMs, 0);
      this.stats.sendMs += performance.now() - t0;
    });
  }

  /** SEmigrate sub host: hand stored records back to the main host unchanged (a page-in). */
  forward(link: number, pages: Uint32Array): Promise<void> {
    return this.serial(async () => {
      const o = this.out.get(link);
      if (!o) throw new Error(`host ${this.cfg.host}: no link ${link}`);
      for (const p of pages) {
        const rec = this.store.get(p);
        if (!rec) throw new Error(`sub host ${this.cfg.host} holds no record of page ${p}`);
        this.store.delete(p);
        // An untrusted sub host (the rollback attack) keeps what it handed back, to hand it back again later.
        if (this.cfg.keepHistory) this.history.set(p, rec);
        await o.ob.acquire(1);
        o.ob.post([rec[0].slice(0), rec[1].slice(0)], true);
        o.records++;
        this.stats.recordsOut++;
      }
    });
  }

  /** Seal a control record on `link` under this host's sending key for it; returned for the runtime to carry. */
  control(link: number, kind: ControlKind, payload: Uint8Array): Promise<ArrayBuffer[]> {
    return this.serial(async () => {
      const s = this.sessions.get(link);
      if (!s) throw new Error(`host ${this.cfg.host}: no session on link ${link}`);
      // Without the control defence the hosts behave like a naive hypervisor: control messages in clear.
      const key = this.cfg.defences.control ? s.send : null;
      const header = {
        protection: (key ? 'sealed' : 'clear') as Protection, suite: key?.suite ?? 'aes-gcm', migrationId: this.cfg.migrationId,
        channel: recordChannel(link, this.cfg.channel) + (this.out.has(link) ? 0 : 128), seq: s.seq++, round: CONTROL_ROUND_BASE + CONTROL_KINDS.indexOf(kind),
        pages: new Uint32Array(0), versions: new Uint32Array(0),
      } as const;
      const rec = await sealRecordParts(key, header, payload);
      if (key && this.cfg.auditNonces) this.stats.nonces.push(`${this.cfg.host}:${this.cfg.channel}:${link}|${nonceHex(header.channel, header.seq)}`);
      return [rec.head.buffer as ArrayBuffer, rec.body.buffer as ArrayBuffer];
    });
  }

  /** Open a control record the peer sealed on `link` (either direction). */
  openControl(link: number, parts: ArrayBuffer[]): Promise<ControlOpened> {
    return this.serial(async () => {
      if (parts.length !== 2 || !(parts[0] instanceof ArrayBuffer) || !(parts[1] instanceof ArrayBuffer)) return { ok: false, reason: 'bad-header' };
      const s = this.sessions.get(link);
      const key = s?.receive ?? null;
      const head = new Uint8Array(parts[0]);
      const h = decodeHeader(head, parts[1].byteLength);
      if (!h) return { ok: false, reason: 'bad-header' };
      let w = this.#reverseWindows.get(link);
      if (!w) this.#reverseWindows.set(link, (w = new ReplayWindow()));
      const expected = recordChannel(link, this.cfg.channel) + (this.out.has(link) ? 128 : 0);
      const naive = !this.cfg.defences.control;
      const checks = naive ? { binding: false, replay: false, versions: false } : undefined;
      // A naive host takes a clear control message at its word; a careful one holds it to the session key.
      const r = await openRecordParts(naive && h.protection === 'clear' ? null : key, { head, body: new Uint8Array(parts[1]) }, { migrationId: this.cfg.migrationId, channel: expected, window: w, knownVersion: () => 0, checks });
      if (!r.ok) {
        this.#reject(r.reason, link, r.seq);
        return { ok: false, reason: r.reason };
      }
      const kind = CONTROL_KINDS[r.header.round - CONTROL_ROUND_BASE];
      if (!kind) return { ok: false, reason: 'control-kind' };
      w.accept(r.header.seq);
      // Authentic: it opened under the session key, or the session has no key at all (nothing can be).
      // (A naive host, without the control defence, believes whatever arrives.)
      return { ok: true, kind, payload: r.body.slice(), authenticated: r.header.protection !== 'clear' || key === null || naive };
    });
  }

  /**
   * Main host: take the source's authenticated page table for a sub host (pages and the versions placed
   * there), so a page handed back later at an older version is seen as a rollback.
   */
  learnPlacement(payload: Uint8Array): number {
    if (payload.length % 8 !== 0) return 0;
    const v = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    let n = 0;
    for (let i = 0; i < payload.length; i += 8) {
      const p = v.getUint32(i, true);
      const ver = v.getUint32(i + 4, true);
      if (p < this.cfg.pageCount && ver > this.versions[p]!) (this.versions[p] = ver), n++;
    }
    return n;
  }

  /** Wait until every command and every message received so far has been handled. */
  flush(): Promise<HostStats> {
    return this.serial(() => this.snapshot());
  }

  snapshot(): HostStats {
    const sent: HostStats['sent'] = {};
    for (const [link, o] of this.out) sent[link] = { records: o.records, digest: o.sent.hex, pages: o.sent.pairs };
    const accepted: HostStats['accepted'] = {};
    for (const [link, ib] of this.in) accepted[link] = { records: ib.records, digest: ib.accepted.hex, pages: ib.accepted.pairs };
    return { ...this.stats, storedRecords: this.store.size, allocatedBytes: this.mem.allocatedBytes, rejected: this.stats.rejected.slice(), sent, accepted, nonces: this.stats.nonces.slice(), pendingPageIns: this.pageIns.size };
  }

  digest(pages: Uint32Array): Promise<string> {
    return this.serial(() => checkDigest(this, pages));
  }

  exportPages(pages: Uint32Array): { bytes: Uint8Array; versions: Uint32Array; present: Uint8Array } {
    return exportPages(this, pages);
  }

  rejectedCount(): number {
    return this.stats.rejected.length;
  }
}

function binaryHas(sorted: Uint32Array, x: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] === x;
}

export type { Rejected, Rejection };
