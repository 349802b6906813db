/**
 * The wire format of a batch of pages, and sealing and opening it. A record is a cleartext header —
 * magic, flags, migration id, channel, sequence number, round, and each page's number and version — then
 * the pages. The header is AES-GCM's additional data, so none of it can be changed unseen. The 96-bit
 * nonce is the 32-bit channel id and the 64-bit per-channel sequence number (as TLS 1.3 builds record
 * nonces; NIST SP 800-38D's deterministic construction): never repeated under a key, never derived
 * from a page number, so a page sent again gets a fresh nonce.
 */
import { PAGE_SIZE } from '../../src/core/units';
import type { SeqGuard } from './replay-window';
import { tdesMac, tdesOpen, tdesSeal, tdesVerify, type TdesKey } from './tdes';

/** A session key: AES-GCM-256 in WebCrypto (non-extractable), or the slow 3DES suite. */
export type SessionKey = { suite: 'aes-gcm'; key: CryptoKey } | { suite: '3des'; key: TdesKey };

export const MAGIC = 0x3153474d; // "MGS1" little-endian
export const FORMAT = 1;
export const HEADER_FIXED = 40;
export const ENTRY_BYTES = 8;
export const TAG_BYTES = 16;

/** How the pages travel: sealed (AES-GCM), authenticated but readable (GMAC), or in clear. */
export type Protection = 'sealed' | 'authenticated' | 'clear';
const PROTECTION_FLAG: Record<Protection, number> = { clear: 0, authenticated: 1, sealed: 2 };
const SUITE_FLAG = { 'aes-gcm': 0, '3des': 4 } as const;

export interface RecordHeader {
  protection: Protection;
  /** Which cipher suite protected it (ignored for clear records). */
  suite: 'aes-gcm' | '3des';
  migrationId: Uint8Array;
  channel: number;
  seq: number;
  round: number;
  pages: Uint32Array;
  versions: Uint32Array;
  /**
   * Zero pages sent as markers, as QEMU sends them: the header names the pages, no page bytes follow
   * (only the tag, which still binds the header). The receiver writes zeros.
   */
  zero?: boolean;
}

/** Header flag bit for a zero-page marker record. */
const ZERO_FLAG = 8;

export type Rejection = 'bad-header' | 'wrong-migration' | 'wrong-channel' | 'replay' | 'out-of-window' | 'stale-version' | 'downgrade' | 'not-requested' | 'tag';

/** `round` values from here on mark control records (no pages; the body says what): base + kind index. */
export const CONTROL_ROUND_BASE = 0xffffff00;

/** A record's channel id: the link (which pair of hosts, which direction) and the channel worker on it. */
export function recordChannel(link: number, channel: number): number {
  return link * 256 + channel;
}

export function headerBytes(pageCount: number): number {
  return HEADER_FIXED + ENTRY_BYTES * pageCount;
}

export function encodeHeader(h: RecordHeader): Uint8Array {
  const k = h.pages.length;
  const out = new Uint8Array(headerBytes(k));
  const v = new DataView(out.buffer);
  v.setUint32(0, MAGIC, true);
  v.setUint8(4, FORMAT);
  v.setUint8(5, PROTECTION_FLAG[h.protection] | (h.protection === 'clear' ? 0 : SUITE_FLAG[h.suite]) | (h.zero ? ZERO_FLAG : 0));
  v.setUint16(6, k, true);
  out.set(h.migrationId.subarray(0, 16), 8);
  v.setUint32(24, h.channel, true);
  v.setUint32(28, Math.floor(h.seq / 2 ** 32), true);
  v.setUint32(32, h.seq >>> 0, true);
  v.setUint32(36, h.round, true);
  for (let i = 0; i < k; i++) {
    v.setUint32(HEADER_FIXED + i * ENTRY_BYTES, h.pages[i]!, true);
    v.setUint32(HEADER_FIXED + i * ENTRY_BYTES + 4, h.versions[i]!, true);
  }
  return out;
}

/** Parse a record's header; `bodyLength` when `rec` is the header alone and the body came apart. */
export function decodeHeader(rec: Uint8Array, bodyLength?: number): RecordHeader | null {
  if (rec.length < HEADER_FIXED) return null;
  const v = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
  if (v.getUint32(0, true) !== MAGIC || v.getUint8(4) !== FORMAT) return null;
  const flag = v.getUint8(5);
  const protection = (['clear', 'authenticated', 'sealed'] as const)[flag & 3];
  const suite = flag & 4 ? '3des' : 'aes-gcm';
  const k = v.getUint16(6, true);
  const total = bodyLength === undefined ? rec.length : headerBytes(k) + bodyLength;
  if (bodyLength !== undefined && rec.length !== headerBytes(k)) return null;
  const zero = (flag & ZERO_FLAG) !== 0;
  // A zero-page marker carries no page bytes, and only names pages (a control record never is one).
  if (zero && k === 0) return null;
  if (!protection || flag > 15 || total < headerBytes(k) + (zero ? 0 : k * PAGE_SIZE) + (protection === 'clear' ? 0 : TAG_BYTES)) return null;
  // A record with no pages is a control record (a commit); its body is short, so it is checked as a whole.
  const pages = new Uint32Array(k);
  const versions = new Uint32Array(k);
  for (let i = 0; i < k; i++) {
    pages[i] = v.getUint32(HEADER_FIXED + i * ENTRY_BYTES, true);
    versions[i] = v.getUint32(HEADER_FIXED + i * ENTRY_BYTES + 4, true);
  }
  return {
    protection,
    suite,
    migrationId: rec.slice(8, 24),
    channel: v.getUint32(24, true),
    seq: v.getUint32(28, true) * 2 ** 32 + v.getUint32(32, true),
    round: v.getUint32(36, true),
    pages,
    versions,
    zero,
  };
}

/** 96-bit nonce: channel id (32 bits) ‖ sequence number (64 bits), big-endian. */
export function nonceFor(channel: number, seq: number): Uint8Array<ArrayBuffer> {
  const n = new Uint8Array(12);
  const v = new DataView(n.buffer);
  v.setUint32(0, channel);
  v.setUint32(4, Math.floor(seq / 2 ** 32));
  v.setUint32(8, seq >>> 0);
  return n;
}

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

/** A record as two buffers: the cleartext header and what follows it (ciphertext and tag, or pages). */
export interface RecordParts {
  head: Uint8Array;
  body: Uint8Array;
}

/**
 * Seal `body` (k × 4 KiB of page bytes) and return header and sealed body apart: they travel as two
 * transferables, sparing a 64 KiB copy per record. `key` may be null only for `clear`.
 */
export async function sealRecordParts(key: SessionKey | null, h: RecordHeader, body: Uint8Array): Promise<RecordParts> {
  const head = encodeHeader({ ...h, suite: key?.suite ?? 'aes-gcm' });
  if (h.protection === 'clear') return { head, body: body.slice() };
  if (!key) throw new Error('sealRecord: a key is needed to seal or authenticate');
  if (key.suite === '3des') {
    return { head, body: h.protection === 'sealed' ? await tdesSeal(key.key, head, body) : await tdesMac(key.key, head, body) };
  }
  const iv = nonceFor(h.channel, h.seq);
  if (h.protection === 'sealed') {
    const ct = await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: head as Uint8Array<ArrayBuffer>, tagLength: 128 }, key.key, body as Uint8Array<ArrayBuffer>);
    return { head, body: new Uint8Array(ct) };
  }
  // Authenticated only (GMAC): header and pages are additional data; the pages stay readable.
  const tag = await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: concat(head, body) as Uint8Array<ArrayBuffer>, tagLength: 128 }, key.key, new Uint8Array(0));
  return { head, body: concat(body, new Uint8Array(tag)) };
}

/** The same as one buffer (header ‖ sealed body). */
export async function sealRecord(key: SessionKey | null, h: RecordHeader, body: Uint8Array): Promise<Uint8Array> {
  const parts = await sealRecordParts(key, h, body);
  return concat(parts.head, parts.body);
}

export interface OpenExpectation {
  migrationId: Uint8Array;
  channel: number;
  window: SeqGuard;
  /** Version the receiver already holds of a page (0 when none). */
  knownVersion(page: number): number;
  /** Checks the security lab may switch off, one at a time, to show what each stops (all on by default). */
  checks?: { binding?: boolean; replay?: boolean; versions?: boolean };
}

export type Opened = { ok: true; header: RecordHeader; body: Uint8Array } | { ok: false; reason: Rejection; seq: number | null };

/**
 * Check a record in the order that keeps memory safe — header, replay window, page versions, tag — and
 * return its pages only when all pass. The caller writes memory and calls `window.accept(seq)` after.
 */
export async function openRecord(key: SessionKey | null, rec: Uint8Array, x: OpenExpectation): Promise<Opened> {
  return openRecordAt(key, rec, x);
}

/** Open a record that arrived as header and body apart (see `sealRecordParts`). */
export async function openRecordParts(key: SessionKey | null, parts: RecordParts, x: OpenExpectation): Promise<Opened> {
  return openRecordAt(key, parts.body, x, parts.head);
}

async function openRecordAt(key: SessionKey | null, recOrBody: Uint8Array, x: OpenExpectation, headPart?: Uint8Array): Promise<Opened> {
  const h = headPart ? decodeHeader(headPart, recOrBody.length) : decodeHeader(recOrBody);
  if (!h) return { ok: false, reason: 'bad-header', seq: null };
  const checks = x.checks ?? {};
  if (checks.binding !== false) {
    if (!equalBytes(h.migrationId, x.migrationId)) return { ok: false, reason: 'wrong-migration', seq: h.seq };
    if (h.channel !== x.channel) return { ok: false, reason: 'wrong-channel', seq: h.seq };
  }
  if (checks.replay !== false) {
    const verdict = x.window.check(h.seq);
    if (verdict !== 'ok') return { ok: false, reason: verdict, seq: h.seq };
  }
  if (checks.versions !== false) {
    for (let i = 0; i < h.pages.length; i++) {
      if (h.versions[i]! < x.knownVersion(h.pages[i]!)) return { ok: false, reason: 'stale-version', seq: h.seq };
    }
  }
  const k = h.pages.length;
  const headLen = headerBytes(k);
  // The header and what follows it, whether the record came joined or in two parts.
  const head = headPart ?? recOrBody.subarray(0, headLen);
  const rest = headPart ? recOrBody : recOrBody.subarray(headLen);
  const pages = h.zero ? 0 : k * PAGE_SIZE;
  // What the receiver writes for a marker: k zero pages (made only after the record is accepted).
  const zeros = (): Uint8Array => new Uint8Array(k * PAGE_SIZE);
  if (h.protection === 'clear') {
    if (key) return { ok: false, reason: 'downgrade', seq: h.seq }; // a keyed channel never accepts clear records
    // A control record (no pages) carries its payload whole.
    if (h.zero) return rest.length === 0 ? { ok: true, header: h, body: zeros() } : { ok: false, reason: 'bad-header', seq: h.seq };
    return { ok: true, header: h, body: k === 0 ? rest : rest.subarray(0, pages) };
  }
  if (!key) return { ok: false, reason: 'tag', seq: h.seq };
  // The suite was agreed in the handshake: a record claiming another is a mid-stream downgrade.
  if (key.suite !== h.suite) return { ok: false, reason: 'downgrade', seq: h.seq };
  if (key.suite === '3des') {
    if (h.protection === 'sealed') {
      const pt = await tdesOpen(key.key, head, rest);
      return pt && (k === 0 || pt.length === pages) ? { ok: true, header: h, body: h.zero ? zeros() : pt } : { ok: false, reason: 'tag', seq: h.seq };
    }
    return (await tdesVerify(key.key, head, rest)) ? { ok: true, header: h, body: h.zero ? zeros() : rest.subarray(0, pages) } : { ok: false, reason: 'tag', seq: h.seq };
  }
  const iv = nonceFor(h.channel, h.seq);
  try {
    if (h.protection === 'sealed') {
      const pt = await subtle().decrypt({ name: 'AES-GCM', iv, additionalData: head as Uint8Array<ArrayBuffer>, tagLength: 128 }, key.key, rest as Uint8Array<ArrayBuffer>);
      if (h.zero) return pt.byteLength === 0 ? { ok: true, header: h, body: zeros() } : { ok: false, reason: 'bad-header', seq: h.seq };
      return { ok: true, header: h, body: new Uint8Array(pt) };
    }
    const aad = headPart ? concat(head, rest.subarray(0, pages)) : recOrBody.subarray(0, headLen + pages);
    await subtle().decrypt({ name: 'AES-GCM', iv, additionalData: aad as Uint8Array<ArrayBuffer>, tagLength: 128 }, key.key, rest.subarray(pages) as Uint8Array<ArrayBuffer>);
    return { ok: true, header: h, body: h.zero ? zeros() : rest.subarray(0, pages) };
  } catch {
    return { ok: false, reason: 'tag', seq: h.seq };
  }
}

/** The nonce a record was sealed with (for the nonce audit): the record's channel and sequence number. */
export function nonceHex(channel: number, seq: number): string {
  return Array.from(nonceFor(channel, seq), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
