/**
 * The sending side of a channel worker: pages sealed into records of `framePages` pages, grouped by how
 * they are protected, posted as credit allows, and counted into the manifest digest; and a SEmigrate sub
 * host handing stored records back untouched. Runs inside the host's serial queue.
 */
import { PageClass } from '../../src/core/page-class';
import { PAGE_SIZE } from '../../src/core/units';
import { nonceHex, recordChannel, type Protection } from '../crypto/record';
import type { ChannelHost } from './channel-host';

/** Seal `pages` into records on `link` and post them as credit allows (one WebCrypto call per record). */
export async function sendPages(host: ChannelHost, link: number, pages: Uint32Array, round: number, resend: boolean): Promise<void> {
  const t0 = performance.now();
  const o = host.out.get(link);
  if (!o) throw new Error(`host ${host.cfg.host}/${host.cfg.channel}: no link ${link}`);
  const { ob } = o;
  const session = host.sessions.get(link)!;
  const frame = ob.perPage ? 1 : Math.max(1, host.cfg.framePages);
  const groups: Record<Protection, number[]> = { sealed: [], authenticated: [], clear: [] };
  const zeroGroups: Record<Protection, number[]> = { sealed: [], authenticated: [], clear: [] };
  for (const p of pages) {
    if (!host.mem.present[p]) throw new Error(`host ${host.cfg.host} was asked to send page ${p} it does not hold`);
    // QEMU's zero-page check: a page of the zero class whose bytes really are all zero goes as a marker.
    const zero = host.cls[p] === PageClass.zero && isZeroPage(host.mem.page(p));
    (zero ? zeroGroups : groups)[host.protectionOf(p, ob.key)].push(p);
  }
  for (const [protection, list, zero] of [
    ['sealed', groups.sealed, false],
    ['authenticated', groups.authenticated, false],
    ['clear', groups.clear, false],
    ['sealed', zeroGroups.sealed, true],
    ['authenticated', zeroGroups.authenticated, true],
    ['clear', zeroGroups.clear, true],
  ] as const) {
    for (let i = 0; i < list.length; i += frame) {
      const part = Uint32Array.from(list.slice(i, i + frame));
      // Consecutive pages of one chunk are sealed where they lie (the cipher reads them once); others are
      // gathered; a zero-page marker has no page bytes at all.
      let body = zero ? EMPTY : contiguous(part) ? host.mem.span(part[0]!, part.length) : null;
      if (!body) {
        if (host.sendScratch.length < part.length * PAGE_SIZE) host.sendScratch = new Uint8Array(part.length * PAGE_SIZE);
        body = host.sendScratch.subarray(0, part.length * PAGE_SIZE);
        for (let j = 0; j < part.length; j++) body.set(host.mem.page(part[j]!), j * PAGE_SIZE);
      }
      const versions = Uint32Array.from(part, (p) => host.versions[p]!);
      const channel = recordChannel(link, host.cfg.channel);
      const header = { protection, suite: ob.key?.suite ?? 'aes-gcm', migrationId: host.cfg.migrationId, channel, seq: session.seq++, round, pages: part, versions, zero } as const;
      await ob.acquire(1);
      const c0 = performance.now();
      const sealed = await ob.seal(header, body);
      host.stats.cryptoMs += performance.now() - c0;
      if (zero) host.stats.zeroPages += part.length;
      if (protection !== 'clear') {
        host.stats.sealCalls++;
        if (!zero) host.stats.pagesSealed += part.length;
        if (host.cfg.auditNonces) host.stats.nonces.push(`${host.cfg.host}:${host.cfg.channel}:${o.sealVia}|${nonceHex(channel, header.seq)}`);
      }
      host.tap.sample(sealed.body, part, protection, protection === 'sealed' && header.suite === '3des' ? 8 : 0, link, zero);
      // A re-send after a link reset replaces records that never arrived: the manifest counts each version once.
      if (!resend) o.sent.add(part, versions);
      if (ob.perPage) {
        let m = host.placed.get(link);
        if (!m) host.placed.set(link, (m = new Map()));
        for (let j = 0; j < part.length; j++) m.set(part[j]!, versions[j]!);
      }
      o.records++;
      ob.queue([sealed.head.buffer as ArrayBuffer, sealed.body.buffer as ArrayBuffer]);
      host.stats.recordsOut++;
      host.stats.bytesOut += sealed.head.length + sealed.body.length;
    }
  }
  // A send command ends with its records on the wire: what comes next (a barrier, a commit) may depend on them.
  ob.flush();
  host.stats.creditWaitMs = [...host.out.values()].reduce((s, x) => s + x.ob.waitedMs, 0);
  host.stats.sendMs += performance.now() - t0;
}

/** SEmigrate sub host: hand stored records back to the main host unchanged (a page-in). */
export async function forwardRecords(host: ChannelHost, link: number, pages: Uint32Array): Promise<void> {
  const o = host.out.get(link);
  if (!o) throw new Error(`host ${host.cfg.host}: no link ${link}`);
  for (const p of pages) {
    const rec = host.store.get(p);
    if (!rec) throw new Error(`sub host ${host.cfg.host} holds no record of page ${p}`);
    host.store.delete(p);
    // An untrusted sub host (the rollback attack) keeps what it handed back, to hand it back again later.
    if (host.cfg.keepHistory) host.history.set(p, rec);
    await o.ob.acquire(1);
    o.ob.post([rec[0].slice(0), rec[1].slice(0)], true);
    o.records++;
    host.stats.recordsOut++;
  }
}

function contiguous(pages: Uint32Array): boolean {
  for (let j = 1; j < pages.length; j++) if (pages[j] !== pages[0]! + j) return false;
  return true;
}

const EMPTY = new Uint8Array(0);

/** All 4 KiB zero? (QEMU's buffer_is_zero; pages are 4-byte aligned in host memory.) */
function isZeroPage(page: Uint8Array): boolean {
  const words = new Uint32Array(page.buffer, page.byteOffset, PAGE_SIZE / 4);
  for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
  return true;
}
