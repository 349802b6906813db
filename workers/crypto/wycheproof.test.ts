/**
 * The AES-GCM that seals every page, against Google's Wycheproof vectors (vectors/wycheproof-aes-gcm.json:
 * every AES-128 and AES-256 test of the file's first half). Valid and acceptable vectors must encrypt
 * to the expected ciphertext and tag and decrypt back; invalid ones must be refused. A vector this
 * WebCrypto cannot express (an IV length it does not take) is counted, never silently passed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Vector {
  tcId: number;
  key: string;
  iv: string;
  aad: string;
  msg: string;
  ct: string;
  tag: string;
  result: 'valid' | 'invalid' | 'acceptable';
}
const file = JSON.parse(readFileSync(new URL('./vectors/wycheproof-aes-gcm.json', import.meta.url), 'utf8')) as { tests: Vector[] };
const hex = (s: string): Uint8Array<ArrayBuffer> => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));
const toHex = (b: ArrayBuffer): string => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
const subtle = globalThis.crypto.subtle;

describe('AES-GCM against Wycheproof', () => {
  it('should pass every vector WebCrypto supports', async () => {
    let checked = 0;
    const unsupported: number[] = [];
    for (const v of file.tests) {
      const key = await subtle.importKey('raw', hex(v.key), 'AES-GCM', false, ['encrypt', 'decrypt']);
      const params = { name: 'AES-GCM', iv: hex(v.iv), additionalData: hex(v.aad), tagLength: 128 };
      let opened: ArrayBuffer | null = null;
      try {
        opened = await subtle.decrypt(params, key, hex(v.ct + v.tag));
      } catch {
        opened = null;
      }
      if (v.result === 'invalid') {
        expect(opened, `tcId ${v.tcId} must be refused`).toBeNull();
      } else {
        if (opened === null && hex(v.iv).length !== 12) {
          unsupported.push(v.tcId);
          continue;
        }
        expect(opened && toHex(opened), `tcId ${v.tcId} must decrypt`).toBe(v.msg);
        expect(toHex(await subtle.encrypt(params, key, hex(v.msg))), `tcId ${v.tcId} must encrypt`).toBe(v.ct + v.tag);
      }
      checked++;
    }
    console.log(`Wycheproof AES-GCM: ${checked} vectors checked, ${unsupported.length} not expressible here (${unsupported.join(', ') || 'none'})`);
    expect(checked).toBeGreaterThanOrEqual(117);
    expect(unsupported.every((id) => hex(file.tests.find((v) => v.tcId === id)!.iv).length !== 12)).toBe(true);
  });
});
