/** Sealing and opening page records with Node's WebCrypto: round trip, tampering, replay, nonces. */
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../src/core/units';
import { Rng } from '../../src/core/prng';
import { deriveKey, newKeyPair, publicRaw } from './keys';
import { decodeHeader, headerBytes, nonceFor, openRecord, sealRecord, type Protection, type RecordHeader, type SessionKey } from './record';
import { ReplayWindow } from './replay-window';

const migrationId = new Uint8Array(16).fill(7);
async function sessionKeys(suite: 'aes-gcm' | '3des' = 'aes-gcm'): Promise<[SessionKey, SessionKey]> {
  const a = await newKeyPair();
  const b = await newKeyPair();
  return [await deriveKey(a, await publicRaw(b), migrationId, suite), await deriveKey(b, await publicRaw(a), migrationId, suite)];
}
const header = (seq: number, pages = [3, 9], protection: Protection = 'sealed'): RecordHeader => ({
  protection, suite: 'aes-gcm', migrationId, channel: 1, seq, round: 1, pages: Uint32Array.from(pages), versions: Uint32Array.from(pages, () => 1),
});
const body = (k: number) => Uint8Array.from({ length: k * PAGE_SIZE }, (_, i) => (i * 31) & 0xff);
const expectation = (window = new ReplayWindow()) => ({ migrationId, channel: 1, window, knownVersion: () => 0 });

describe('page records', () => {
  it('should agree on one key from ECDH and keep it non-extractable', async () => {
    const [ka, kb] = await sessionKeys();
    expect(ka.suite === 'aes-gcm' && ka.key.extractable).toBe(false);
    const rec = await sealRecord(ka, header(0), body(2));
    const opened = await openRecord(kb, rec, expectation());
    expect(opened.ok).toBe(true);
    if (opened.ok) expect(opened.body).toEqual(body(2));
  });

  it('should hide the pages when sealed and leave them readable but protected when authenticated', async () => {
    const [k] = await sessionKeys();
    const plain = new TextEncoder().encode('password=hunter2'.repeat(256));
    const sealed = await sealRecord(k, header(0, [1]), plain);
    const authed = await sealRecord(k, header(1, [1], 'authenticated'), plain);
    const text = (r: Uint8Array) => new TextDecoder('latin1').decode(r);
    expect(text(sealed)).not.toContain('hunter2');
    expect(text(authed)).toContain('hunter2');
    authed[headerBytes(1) + 5]! ^= 1;
    expect((await openRecord(k, authed, expectation())).ok).toBe(false);
  });

  it('should reject every single flipped bit in header, ciphertext or tag (property test)', async () => {
    const [ka, kb] = await sessionKeys();
    const rec = await sealRecord(ka, header(5), body(2));
    const rng = new Rng(99);
    const reasons = new Set<string>();
    let accepted = 0;
    const flips = 3000;
    for (let i = 0; i < flips; i++) {
      const bad = rec.slice();
      const bit = rng.int(bad.length * 8);
      bad[bit >> 3]! ^= 1 << (bit & 7);
      const r = await openRecord(kb, bad, expectation());
      if (r.ok) accepted++;
      else reasons.add(r.reason);
    }
    expect(accepted).toBe(0);
    expect(reasons.has('tag')).toBe(true);
  });

  it('should reject a replayed record and one far behind the window, but accept in-window reordering', async () => {
    const [ka, kb] = await sessionKeys();
    const window = new ReplayWindow(64);
    const recs = await Promise.all([0, 1, 2, 100].map((s) => sealRecord(ka, header(s), body(2))));
    for (const i of [1, 0, 2, 3]) {
      const r = await openRecord(kb, recs[i]!, expectation(window));
      expect(r.ok).toBe(true);
      if (r.ok) window.accept(r.header.seq);
    }
    const replay = await openRecord(kb, recs[1]!, expectation(window));
    expect(replay).toMatchObject({ ok: false, reason: 'out-of-window' });
    const again = await openRecord(kb, recs[3]!, expectation(window));
    expect(again).toMatchObject({ ok: false, reason: 'replay' });
  });

  it('should reject a stale page version and a wrong migration id before decrypting', async () => {
    const [ka, kb] = await sessionKeys();
    const rec = await sealRecord(ka, header(0), body(2));
    expect(await openRecord(kb, rec, { ...expectation(), knownVersion: () => 2 })).toMatchObject({ ok: false, reason: 'stale-version' });
    expect(await openRecord(kb, rec, { ...expectation(), migrationId: new Uint8Array(16) })).toMatchObject({ ok: false, reason: 'wrong-migration' });
    expect(await openRecord(kb, rec, { ...expectation(), channel: 2 })).toMatchObject({ ok: false, reason: 'wrong-channel' });
  });

  it('should never accept a clear record on a keyed channel (no downgrade)', async () => {
    const [, kb] = await sessionKeys();
    const clear = await sealRecord(null, header(0, [1], 'clear'), body(1));
    expect(await openRecord(kb, clear, expectation())).toMatchObject({ ok: false, reason: 'downgrade' });
  });

  it('should derive distinct nonces for a million seals across channels and re-sent pages', () => {
    const seen = new Set<string>();
    let n = 0;
    for (let channel = 1; channel <= 4; channel++) {
      for (let seq = 0; seq < 250_000; seq++) {
        const nonce = nonceFor(channel, seq);
        seen.add(String.fromCharCode(...nonce));
        n++;
      }
    }
    expect(n).toBe(1_000_000);
    expect(seen.size).toBe(1_000_000);
  });

  it('should carry page numbers and versions in the header', async () => {
    const [k] = await sessionKeys();
    const rec = await sealRecord(k, { ...header(2 ** 40 + 3, [7, 8, 9]), versions: Uint32Array.from([1, 5, 9]) }, body(3));
    const h = decodeHeader(rec)!;
    expect([...h.pages]).toEqual([7, 8, 9]);
    expect([...h.versions]).toEqual([1, 5, 9]);
    expect(h.seq).toBe(2 ** 40 + 3);
  });

  it('should seal, open and reject tampering with the 3DES suite too', async () => {
    const [ka, kb] = await sessionKeys('3des');
    const rec = await sealRecord(ka, header(0), body(2));
    expect(new TextDecoder('latin1').decode(rec)).not.toContain(new TextDecoder('latin1').decode(body(2).subarray(0, 64)));
    const ok = await openRecord(kb, rec, expectation());
    expect(ok.ok && ok.body).toEqual(body(2));
    for (const at of [10, headerBytes(2) + 20, rec.length - 1]) {
      const bad = rec.slice();
      bad[at]! ^= 0x10;
      expect((await openRecord(kb, bad, expectation())).ok).toBe(false);
    }
    const [aes] = await sessionKeys();
    expect((await openRecord(aes, rec, expectation())).ok).toBe(false); // suite mismatch
  });

  it.each(['sealed', 'authenticated', 'clear'] as const)('should carry zero pages as a %s marker: no page bytes, zeros written, every bit still checked', async (protection) => {
    const [ka, kb] = await sessionKeys();
    const h = { ...header(0, [4, 5, 6], protection), zero: true };
    const key = protection === 'clear' ? null : ka;
    const rec = await sealRecord(key, h, new Uint8Array(0));
    // Header and tag only: what QEMU's zero-page marker costs on the wire, plus the record's binding.
    expect(rec.length).toBe(headerBytes(3) + (protection === 'clear' ? 0 : 16));
    const opened = await openRecord(protection === 'clear' ? null : kb, rec, expectation());
    expect(opened.ok).toBe(true);
    if (opened.ok) expect(opened.body).toEqual(new Uint8Array(3 * PAGE_SIZE));
    if (protection === 'clear') return;
    for (let bit = 0; bit < rec.length * 8; bit += 7) {
      const bad = rec.slice();
      bad[bit >> 3]! ^= 1 << (bit & 7);
      expect((await openRecord(kb, bad, expectation())).ok, `bit ${bit}`).toBe(false);
    }
    // Bytes appended to a marker are refused, not taken as a page.
    const longer = new Uint8Array(rec.length + PAGE_SIZE);
    longer.set(rec);
    expect((await openRecord(kb, longer, expectation())).ok).toBe(false);
  });
});
