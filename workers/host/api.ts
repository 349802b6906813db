/**
 * A channel worker's API, flat, as the worker exposes it through Comlink (and as Node tests call it in
 * the same thread). Its type is `HostApi = ReturnType<typeof makeHostApi>`: one definition for both sides.
 * Everything that arrives here came through a message, so shapes are checked before use.
 */
import { transfer } from 'comlink';
import { PAGE_SIZE } from '../../src/core/units';
import type { Hello } from '../crypto/keys';
import { decodeHeader, openRecordParts, recordChannel, sealRecordParts } from '../crypto/record';
import { ReplayWindow } from '../crypto/replay-window';
import { ChannelHost } from './channel-host';
import { CHECK_KEY_BYTES } from './memory-check';
import type { ChannelConfig, ControlKind, HostStats, WireSample } from './types';
import { countNeedles } from './wire-tap';

const isPages = (x: unknown): x is Uint32Array => x instanceof Uint32Array && x.length <= 1 << 24;
const isLink = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0 && (x as number) < 4096;

function checkPages(host: ChannelHost, pages: unknown): Uint32Array {
  if (!isPages(pages)) throw new Error('pages must be a Uint32Array');
  for (const p of pages) if (p >= host.cfg.pageCount) throw new Error(`page ${p} is outside this VM`);
  return pages;
}

export function makeHostApi() {
  const host = new ChannelHost();
  return {
    init(cfg: ChannelConfig): void {
      if (!cfg || !Number.isInteger(cfg.pageCount) || cfg.pageCount < 1 || cfg.pageCount > 1 << 24) throw new Error('a host needs a page count from 1 to 16,777,216');
      host.init(cfg);
    },
    hello(link: number, peerHost: number): Promise<Hello> {
      if (!isLink(link)) throw new Error('bad link');
      return host.hello(link, peerHost);
    },
    accept(link: number, peer: Hello) {
      if (!isLink(link) || !peer || !(peer.ecdh instanceof Uint8Array)) throw new Error('bad hello');
      return host.accept(link, peer);
    },
    attachOut(link: number, port: MessagePort, peerHost: number, sealVia: number, perPage: boolean): void {
      host.attachOut(link, port, peerHost, sealVia, perPage);
    },
    attachIn(link: number, port: MessagePort, peerHost: number): void {
      host.attachIn(link, port, peerHost);
    },
    write: (pages: Uint32Array) => host.write(checkPages(host, pages)),
    setClass: (pages: Uint32Array, cls: number) => host.setClass(checkPages(host, pages), cls),
    send: (link: number, pages: Uint32Array, round: number) => host.send(link, checkPages(host, pages), round),
    /** Send again what a reset link lost (post-copy recovery): counted once in the manifest. */
    resend: (link: number, pages: Uint32Array) => host.send(link, checkPages(host, pages), 0, true),
    forward: (link: number, pages: Uint32Array) => host.forward(link, checkPages(host, pages)),
    /** Source: the page table of what it placed on a sub host's link, sealed for the main host (link 1). */
    placement: async (subLink: number) => {
      const m = host.placed.get(subLink) ?? new Map<number, number>();
      const bytes = new Uint8Array(m.size * 8);
      const v = new DataView(bytes.buffer);
      let i = 0;
      for (const [p, ver] of m) (v.setUint32(i, p, true), v.setUint32(i + 4, ver, true), (i += 8));
      const parts = await host.control(1, 'placement', bytes);
      return transfer(parts, parts);
    },
    /** Main host: open the source's page table and learn the versions its sub hosts must hand back. */
    learnPlacement: async (parts: ArrayBuffer[]) => {
      const r = await host.openControl(1, parts);
      return r.ok && r.authenticated && r.kind === 'placement' ? host.learnPlacement(r.payload) : -1;
    },
    /** Main host: these pages were asked of a sub host; only they may come back. */
    expectPageIns: (pages: Uint32Array) => host.serial(() => checkPages(host, pages).forEach((p) => host.pageIns.add(p))),
    control: async (link: number, kind: ControlKind, payload: Uint8Array) => {
      const parts = await host.control(link, kind, payload);
      return transfer(parts, parts);
    },
    openControl: (link: number, parts: ArrayBuffer[]) => host.openControl(link, parts),
    /** Control records that arrived in the page stream since the last call. */
    takeControls() {
      return host.controls.splice(0);
    },
    flush: (): Promise<HostStats> => host.flush(),
    /** Drop pages from memory (a destination acting on an unused-page list: FCtrans never keeps them). */
    discard: (pages: Uint32Array) => host.serial(() => checkPages(host, pages).forEach((p) => (host.mem.present[p] = 0))),
    /** The memory check's tag over these pages, under a key the runtime drew for this check. */
    digest: (pages: Uint32Array, checkKey: Uint8Array) => {
      if (!(checkKey instanceof Uint8Array) || checkKey.length !== CHECK_KEY_BYTES) throw new Error(`the check key must be ${CHECK_KEY_BYTES} bytes`);
      return host.digest(checkPages(host, pages), checkKey);
    },
    exportPages: (pages: Uint32Array) => host.exportPages(checkPages(host, pages)),

    /** For the final check: stored records of these pages (SEmigrate sub host), as they are. */
    exportRecords(pages: Uint32Array): ArrayBuffer[][] {
      const out = Array.from(checkPages(host, pages), (p) => {
        const rec = host.store.get(p);
        return rec ? [rec[0].slice(0), rec[1].slice(0)] : [];
      });
      return transfer(out, out.flat());
    },

    /** Main host, for the final check only: open records a SEmigrate sub host kept; nothing is written. */
    async openForCheck(records: ArrayBuffer[][], pages: Uint32Array): Promise<Uint8Array> {
      checkPages(host, pages);
      const out = new Uint8Array(pages.length * PAGE_SIZE);
      const toMain = host.sessions.get(1);
      for (let i = 0; i < records.length && i < pages.length; i++) {
        const rec = records[i];
        if (!rec || rec.length !== 2) continue;
        const head = new Uint8Array(rec[0]!);
        const h = decodeHeader(head, rec[1]!.byteLength);
        if (!h) continue;
        const key = Math.floor(h.channel / 256) < 16 ? (toMain?.receive ?? null) : (toMain?.send ?? null);
        const r = await openRecordParts(key, { head, body: new Uint8Array(rec[1]!) }, { migrationId: host.cfg.migrationId, channel: h.channel, window: new ReplayWindow(), knownVersion: () => 0 });
        if (!r.ok) continue;
        const j = r.header.pages.indexOf(pages[i]!);
        if (j >= 0) out.set(r.body.subarray(j * PAGE_SIZE, (j + 1) * PAGE_SIZE), i * PAGE_SIZE);
      }
      return transfer(out, [out.buffer]);
    },

    /** Which of these pages this worker does not hold (after a link reset: what must be sent again). */
    absent: (pages: Uint32Array) => host.serial(() => checkPages(host, pages).filter((p) => !host.mem.present[p] && !host.store.has(p))),

    /**
     * An attacker's splice, made for real: page `page` sealed under this link's key, but with a header
     * from another migration (a long-lived key reused across migrations) or another channel. Only the
     * header binding can tell it from a genuine record: the tag is valid.
     */
    async forgeRecord(link: number, page: number, variant: 'other-migration' | 'other-channel', seq: number): Promise<ArrayBuffer[]> {
      const s = host.sessions.get(link);
      const o = host.out.get(link);
      if (!s || !o || !Number.isInteger(page) || page < 0 || page >= host.cfg.pageCount) throw new Error('forgeRecord: no such link or page');
      const mid = host.cfg.migrationId.slice();
      if (variant === 'other-migration') mid[0]! ^= 0xff;
      const channel = recordChannel(link, host.cfg.channel) + (variant === 'other-channel' ? 1 : 0);
      const key = o.ob.key;
      const rec = await sealRecordParts(key, { protection: key ? 'sealed' : 'clear', suite: key?.suite ?? 'aes-gcm', migrationId: mid, channel, seq: Math.max(0, Math.floor(seq)), round: 0, pages: Uint32Array.of(page), versions: Uint32Array.of(host.versions[page]! + 1) }, host.mem.page(page));
      const parts = [rec.head.buffer as ArrayBuffer, rec.body.buffer as ArrayBuffer];
      return transfer(parts, parts);
    },

    /** An untrusted SEmigrate sub host: swap two stored pages' records, or hand back a page's older record. */
    subHostTamper(kind: 'swap' | 'rollback', asked: Uint32Array): number {
      const pages = [...checkPages(host, asked)].filter((p) => host.store.has(p));
      if (kind === 'swap' && pages.length >= 1) {
        // Hand back another stored page's record in place of the first one asked for.
        const askedSet = new Set(pages);
        const other = [...host.store.keys()].find((p) => !askedSet.has(p));
        if (other === undefined) return 0;
        const a = host.store.get(pages[0]!)!;
        host.store.set(pages[0]!, host.store.get(other)!);
        host.store.set(other, a);
        return 2;
      }
      let n = 0;
      // A real rollback: hand back a record older than the one the main host placed last.
      const versionOf = (rec: [ArrayBuffer, ArrayBuffer]) => decodeHeader(new Uint8Array(rec[0]), rec[1].byteLength)?.versions[0] ?? 0;
      if (kind === 'rollback') {
        for (const p of pages) {
          const old = host.history.get(p);
          if (old && versionOf(old) < versionOf(host.store.get(p)!)) (host.store.set(p, old), n++);
        }
      }
      return n;
    },

    /** What an untrusted sub host can read of what it stores: pages in clear (authenticated only) and sealed, and canaries it finds. */
    subHostView(): { records: number; readablePages: number; sealedPages: number; canariesSeen: number } {
      const needle = new TextEncoder().encode(host.cfg.canaryPrefix);
      let readable = 0;
      let sealed = 0;
      let canaries = 0;
      for (const [, [head, body]] of host.store) {
        const h = decodeHeader(new Uint8Array(head), body.byteLength);
        if (!h) continue;
        if (h.protection === 'sealed') sealed += h.pages.length;
        else {
          readable += h.pages.length;
          if (host.cfg.canaryPages.length) canaries += countNeedles(new Uint8Array(body), [needle]);
        }
      }
      return { records: host.store.size, readablePages: readable, sealedPages: sealed, canariesSeen: canaries };
    },

    /** What an eavesdropper on the link saw of this page most recently, if this worker sent it. */
    wireSample: (page: number): WireSample | null => (Number.isInteger(page) && page >= 0 ? host.tap.get(page) : null),
    /** Canary secrets seen in what this worker sent. */
    canariesOnWire: (): number => host.tap.found,

    /**
     * Teaching only: seal two pages under one (key, nonce), as a careless implementation would, and
     * return the XOR of the two ciphertexts and of the two plaintexts — equal, so the pages leak.
     * With `reuse` false they are sealed with their own nonces, and the two differ.
     */
    async nonceReuse(link: number, a: number, b: number, reuse: boolean): Promise<{ ciphertextXor: Uint8Array; plaintextXor: Uint8Array }> {
      const key = host.sessions.get(link)?.send;
      if (!key || key.suite !== 'aes-gcm') throw new Error('nonce reuse needs an AES-GCM session');
      const seal = (p: number, seq: number) =>
        sealRecordParts(key, { protection: 'sealed', suite: 'aes-gcm', migrationId: host.cfg.migrationId, channel: 0xfffff, seq, round: 0, pages: Uint32Array.of(p), versions: Uint32Array.of(0) }, host.mem.page(p));
      const [x, y] = await Promise.all([seal(a, 0), seal(b, reuse ? 0 : 1)]);
      const pa = host.mem.page(a);
      const pb = host.mem.page(b);
      return { ciphertextXor: x.body.subarray(0, PAGE_SIZE).map((v, i) => v ^ y.body[i]!), plaintextXor: pa.map((v, i) => v ^ pb[i]!) };
    },
  };
}

export type HostApi = ReturnType<typeof makeHostApi>;
