/**
 * One channel worker of a host — source, main destination or sub host — with a real copy of its slice
 * of guest memory. It seals what it sends and checks what it receives before any byte reaches memory.
 * Commands run one at a time, in order, so a guest write never lands mid-seal; a failure stops the
 * worker for good and is reported by the next `flush`.
 */
import { fillPage, stampCanary } from '../../src/core/page-content';
import { PAGE_SIZE } from '../../src/core/units';
import type { Hello } from '../crypto/keys';
import { CONTROL_ROUND_BASE, recordChannel, type Protection, type Rejection, type SessionKey } from '../crypto/record';
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
import { forwardRecords, sendPages } from './sender';
import { learnPlacement, openControl, sealControl } from './control-records';

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
  /** Replay windows for control records arriving against the page stream's direction, by link. */
  readonly controlWindows = new Map<number, ReplayWindow>();
  #queue: Promise<unknown> = Promise.resolve();
  #failure: Error | null = null;
  stats!: HostStats;
  /** One body buffer per host, reused for every record it seals (the seal copies out of it). */
  sendScratch = new Uint8Array(0);

  init(cfg: ChannelConfig): void {
    this.cfg = cfg;
    this.mem = new PagedMemory(cfg.pageCount);
    this.versions = new Uint32Array(cfg.pageCount);
    this.cls = cfg.pageClass.slice();
    this.sessions = new Sessions(cfg);
    this.tap = new WireTap(cfg.pageCount, cfg.channel);
    if (cfg.canaryPages.length) this.tap.watchFor([new TextEncoder().encode(cfg.canaryPrefix)]);
    this.stats = {
      host: cfg.host, channel: cfg.channel, sealCalls: 0, pagesSealed: 0, zeroPages: 0, openCalls: 0, pagesOpened: 0, recordsIn: 0, recordsOut: 0, bytesOut: 0,
      storedRecords: 0, rejected: [], allocatedBytes: 0, sendMs: 0, receiveMs: 0, cryptoMs: 0, creditWaitMs: 0, sent: {}, accepted: {}, nonces: [],
      aborted: false, pendingPageIns: 0,
    };
    if (cfg.role === 'source') {
      for (let p = 0; p < cfg.pageCount; p++) if (this.mine(p)) this.fill(p);
    }
  }

  /** Whether page `p` belongs to this worker's slice. */
  mine(p: number): boolean {
    return channelOf(p, this.cfg.channels) === this.cfg.channel;
  }

  fill(p: number): void {
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
        this.mem.writeMany(pages, body);
        for (let i = 0; i < pages.length; i++) {
          const p = pages[i]!;
          this.versions[p] = versions[i]!;
          if (this.store.size) this.store.delete(p);
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
      reject: (reason, seq) => this.reject(reason, link, seq),
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
  reject(reason: Rejected['reason'], link: number, seq: number | null): void {
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
        this.fill(p);
      }
    });
  }

  setClass(pages: Uint32Array, cls: number): Promise<void> {
    return this.serial(() => {
      for (const p of pages) this.cls[p] = cls;
    });
  }

  protectionOf(p: number, key: SessionKey | null): Protection {
    if (!key) return 'clear';
    return this.cfg.sealedClasses[this.cls[p]!] ? 'sealed' : 'authenticated';
  }

  /** Seal `pages` into records on `link` and post them as credit allows. */
  send(link: number, pages: Uint32Array, round: number, resend = false): Promise<void> {
    return this.serial(() => sendPages(this, link, pages, round, resend));
  }

  /** SEmigrate sub host: hand stored records back to the main host unchanged (a page-in). */
  forward(link: number, pages: Uint32Array): Promise<void> {
    return this.serial(() => forwardRecords(this, link, pages));
  }

  /** Seal a control record on `link` under this host's sending key for it; returned for the runtime to carry. */
  control(link: number, kind: ControlKind, payload: Uint8Array): Promise<ArrayBuffer[]> {
    return this.serial(() => sealControl(this, link, kind, payload));
  }

  /** Open a control record the peer sealed on `link` (either direction). */
  openControl(link: number, parts: ArrayBuffer[]): Promise<ControlOpened> {
    return this.serial(() => openControl(this, link, parts));
  }

  /** Main host: take the source's authenticated page table for a sub host (see control-records.ts). */
  learnPlacement(payload: Uint8Array): number {
    return learnPlacement(this, payload);
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

  digest(pages: Uint32Array, checkKey: Uint8Array): Promise<string> {
    return this.serial(() => checkDigest(this, pages, checkKey));
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
