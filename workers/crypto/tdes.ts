/**
 * The papers' slow cipher, for real: 3DES-CBC with HMAC-SHA-256 (encrypt-then-MAC) in pure JavaScript
 * (node-forge, loaded only when chosen). Being pure JS it needs raw key bytes, so unlike the AES-GCM
 * keys these live in the worker's memory; that is the price of the comparison and it is said here.
 */
import type forgeNs from 'node-forge';

export interface TdesKey {
  cipherKey: string;
  macKey: string;
}

let forgePromise: Promise<typeof forgeNs> | null = null;
const loadForge = (): Promise<typeof forgeNs> =>
  (forgePromise ??= import('node-forge').then((m) => ((m as unknown as { default?: typeof forgeNs }).default ?? m) as typeof forgeNs));

const toBinary = (b: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
};
const fromBinary = (s: string): Uint8Array => {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
};

/** Split 56 derived bytes into a 24-byte 3DES key and a 32-byte MAC key. */
export function tdesKeyFrom(bits: Uint8Array): TdesKey {
  return { cipherKey: toBinary(bits.subarray(0, 24)), macKey: toBinary(bits.subarray(24, 56)) };
}

/** IV (8 random bytes) ‖ ciphertext ‖ HMAC(aad ‖ IV ‖ ciphertext) (32 bytes). */
export async function tdesSeal(key: TdesKey, aad: Uint8Array, body: Uint8Array): Promise<Uint8Array> {
  const forge = await loadForge();
  const iv = crypto.getRandomValues(new Uint8Array(8));
  const cipher = forge.cipher.createCipher('3DES-CBC', key.cipherKey);
  cipher.start({ iv: toBinary(iv) });
  cipher.update(forge.util.createBuffer(toBinary(body)));
  cipher.finish();
  const ct = fromBinary(cipher.output.getBytes());
  const mac = forge.hmac.create();
  mac.start('sha256', key.macKey);
  mac.update(toBinary(aad) + toBinary(iv) + toBinary(ct));
  const tag = fromBinary(mac.digest().getBytes());
  const out = new Uint8Array(8 + ct.length + tag.length);
  out.set(iv, 0);
  out.set(ct, 8);
  out.set(tag, 8 + ct.length);
  return out;
}

/** The plaintext, or null when the MAC does not match (checked before any decryption). */
export async function tdesOpen(key: TdesKey, aad: Uint8Array, sealed: Uint8Array): Promise<Uint8Array | null> {
  const forge = await loadForge();
  if (sealed.length < 8 + 8 + 32) return null;
  const iv = sealed.subarray(0, 8);
  const ct = sealed.subarray(8, sealed.length - 32);
  const tag = sealed.subarray(sealed.length - 32);
  const mac = forge.hmac.create();
  mac.start('sha256', key.macKey);
  mac.update(toBinary(aad) + toBinary(iv) + toBinary(ct));
  const expect = fromBinary(mac.digest().getBytes());
  let diff = 0;
  for (let i = 0; i < 32; i++) diff |= expect[i]! ^ tag[i]!;
  if (diff !== 0) return null;
  const decipher = forge.cipher.createDecipher('3DES-CBC', key.cipherKey);
  decipher.start({ iv: toBinary(iv) });
  decipher.update(forge.util.createBuffer(toBinary(ct)));
  if (!decipher.finish()) return null;
  return fromBinary(decipher.output.getBytes());
}

/** Authenticated only: body ‖ HMAC(aad ‖ body); the pages stay readable. */
export async function tdesMac(key: TdesKey, aad: Uint8Array, body: Uint8Array): Promise<Uint8Array> {
  const forge = await loadForge();
  const mac = forge.hmac.create();
  mac.start('sha256', key.macKey);
  mac.update(toBinary(aad) + toBinary(body));
  const tag = fromBinary(mac.digest().getBytes());
  const out = new Uint8Array(body.length + 32);
  out.set(body, 0);
  out.set(tag, body.length);
  return out;
}

export async function tdesVerify(key: TdesKey, aad: Uint8Array, bodyAndTag: Uint8Array): Promise<boolean> {
  const forge = await loadForge();
  if (bodyAndTag.length < 32) return false;
  const body = bodyAndTag.subarray(0, bodyAndTag.length - 32);
  const tag = bodyAndTag.subarray(bodyAndTag.length - 32);
  const mac = forge.hmac.create();
  mac.start('sha256', key.macKey);
  mac.update(toBinary(aad) + toBinary(body));
  const expect = fromBinary(mac.digest().getBytes());
  let diff = 0;
  for (let i = 0; i < 32; i++) diff |= expect[i]! ^ tag[i]!;
  return diff === 0;
}
