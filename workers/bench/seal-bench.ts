/**
 * Calibration and benchmarks of this browser's AES-GCM, kept out of the production host worker: seal
 * pages in records of a given size with a fresh non-extractable key, on hot bytes (one buffer) or cold
 * ones (distinct bytes of a large image), and report the real cost — one WebCrypto call per record.
 */
import { PAGE_SIZE } from '../../src/core/units';
import { deriveKey, newKeyPair, publicRaw } from '../crypto/keys';
import { headerBytes, sealRecord } from '../crypto/record';

export interface SealFigures {
  pagesPerSecond: number;
  bytesPerSecond: number;
  callsPerSecond: number;
  microsPerCall: number;
}

export async function measureSeal(framePages: number, pages: number, cold = false): Promise<SealFigures> {
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt']);
  const calls = Math.max(1, Math.ceil(pages / framePages));
  const image = cold ? new Uint8Array(calls * framePages * PAGE_SIZE).fill(7) : null;
  const hot = new Uint8Array(framePages * PAGE_SIZE).map((_, i) => i & 0xff);
  const bodyFor = (i: number): Uint8Array<ArrayBuffer> => (image ? image.subarray(i * framePages * PAGE_SIZE, (i + 1) * framePages * PAGE_SIZE) : hot);
  const aad = new Uint8Array(headerBytes(framePages));
  const iv = new Uint8Array(12);
  const view = new DataView(iv.buffer);
  for (let i = 0; i < 8; i++) await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, hot);
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) {
    view.setUint32(8, i + 100);
    await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, bodyFor(i));
  }
  const s = (performance.now() - t0) / 1000;
  const sealed = calls * framePages;
  return { pagesPerSecond: sealed / s, bytesPerSecond: (sealed * PAGE_SIZE) / s, callsPerSecond: calls / s, microsPerCall: (s / calls) * 1e6 };
}

/** The whole record path: `sealRecord` with a session key derived as in a migration. */
export async function measureRecordSeal(framePages: number, pages: number): Promise<{ pagesPerSecond: number; microsPerCall: number }> {
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
  return { pagesPerSecond: (calls * framePages) / s, microsPerCall: (s / calls) * 1e6 };
}
