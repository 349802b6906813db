/**
 * Control records between two hosts (the manifest, the unused-page list, the security context, commit
 * and abort, a sub host's page table): sealed under the session's key like pages, checked against their
 * own replay window, and — without the control defence, as a naive hypervisor — sent and believed in clear.
 */
import { CONTROL_ROUND_BASE, decodeHeader, nonceHex, openRecordParts, recordChannel, sealRecordParts, type Protection } from '../crypto/record';
import { ReplayWindow } from '../crypto/replay-window';
import type { ChannelHost } from './channel-host';
import { CONTROL_KINDS, type ControlKind, type ControlOpened } from './types';

/** Seal a control record on `link` under this host's sending key for it; returned for the runtime to carry. */
export async function sealControl(host: ChannelHost, link: number, kind: ControlKind, payload: Uint8Array): Promise<ArrayBuffer[]> {
  const s = host.sessions.get(link);
  if (!s) throw new Error(`host ${host.cfg.host}: no session on link ${link}`);
  // Without the control defence the hosts behave like a naive hypervisor: control messages in clear.
  const key = host.cfg.defences.control ? s.send : null;
  const header = {
    protection: (key ? 'sealed' : 'clear') as Protection, suite: key?.suite ?? 'aes-gcm', migrationId: host.cfg.migrationId,
    channel: recordChannel(link, host.cfg.channel) + (host.out.has(link) ? 0 : 128), seq: s.seq++, round: CONTROL_ROUND_BASE + CONTROL_KINDS.indexOf(kind),
    pages: new Uint32Array(0), versions: new Uint32Array(0),
  } as const;
  const rec = await sealRecordParts(key, header, payload);
  if (key && host.cfg.auditNonces) host.stats.nonces.push(`${host.cfg.host}:${host.cfg.channel}:${link}|${nonceHex(header.channel, header.seq)}`);
  return [rec.head.buffer as ArrayBuffer, rec.body.buffer as ArrayBuffer];
}

/** Open a control record the peer sealed on `link` (either direction). */
export async function openControl(host: ChannelHost, link: number, parts: ArrayBuffer[]): Promise<ControlOpened> {
  if (parts.length !== 2 || !(parts[0] instanceof ArrayBuffer) || !(parts[1] instanceof ArrayBuffer)) return { ok: false, reason: 'bad-header' };
  const s = host.sessions.get(link);
  const key = s?.receive ?? null;
  const head = new Uint8Array(parts[0]);
  const h = decodeHeader(head, parts[1].byteLength);
  if (!h) return { ok: false, reason: 'bad-header' };
  let w = host.controlWindows.get(link);
  if (!w) host.controlWindows.set(link, (w = new ReplayWindow()));
  const expected = recordChannel(link, host.cfg.channel) + (host.out.has(link) ? 128 : 0);
  const naive = !host.cfg.defences.control;
  const checks = naive ? { binding: false, replay: false, versions: false } : undefined;
  // A naive host takes a clear control message at its word; a careful one holds it to the session key.
  const r = await openRecordParts(naive && h.protection === 'clear' ? null : key, { head, body: new Uint8Array(parts[1]) }, { migrationId: host.cfg.migrationId, channel: expected, window: w, knownVersion: () => 0, checks });
  if (!r.ok) {
    host.reject(r.reason, link, r.seq);
    return { ok: false, reason: r.reason };
  }
  const kind = CONTROL_KINDS[r.header.round - CONTROL_ROUND_BASE];
  if (!kind) return { ok: false, reason: 'control-kind' };
  w.accept(r.header.seq);
  // Authentic: it opened under the session key, or the session has no key at all (nothing can be).
  // (A naive host, without the control defence, believes whatever arrives.)
  return { ok: true, kind, payload: r.body.slice(), authenticated: r.header.protection !== 'clear' || key === null || naive };
}

/**
 * Main host: take the source's authenticated page table for a sub host (pages and the versions placed
 * there), so a page handed back later at an older version is seen as a rollback.
 */
export function learnPlacement(host: ChannelHost, payload: Uint8Array): number {
if (payload.length % 8 !== 0) return 0;
const v = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
let n = 0;
for (let i = 0; i < payload.length; i += 8) {
  const p = v.getUint32(i, true);
  const ver = v.getUint32(i + 4, true);
  if (p < host.cfg.pageCount && ver > host.versions[p]!) (host.versions[p] = ver), n++;
}
return n;
}
