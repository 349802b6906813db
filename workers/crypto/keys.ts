/**
 * Session keys between the source and a destination that is allowed to read pages (the main host;
 * SEmigrate's sub hosts never get one). ECDH P-256 gives a shared secret, HKDF-SHA-256 bound to the
 * migration id turns it into an AES-GCM-256 key. Private and session keys are non-extractable.
 */

import type { SessionKey } from './record';
import { tdesKeyFrom } from './tdes';

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

export async function newKeyPair(): Promise<CryptoKeyPair> {
  return subtle().generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']) as Promise<CryptoKeyPair>;
}

/** The public half, raw (65 bytes), to send to the peer. */
export async function publicRaw(pair: CryptoKeyPair): Promise<Uint8Array> {
  return new Uint8Array(await subtle().exportKey('raw', pair.publicKey));
}

/** Both sides call this with their own private key and the peer's public key: same key out. */
export async function deriveKey(pair: CryptoKeyPair, peerPublic: Uint8Array, migrationId: Uint8Array, suite: 'aes-gcm' | '3des'): Promise<SessionKey> {
  if (suite === 'aes-gcm') return { suite, key: await deriveSessionKey(pair, peerPublic, migrationId) };
  const ikm = await sharedSecret(pair, peerPublic);
  const bits = await subtle().deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: migrationId as Uint8Array<ArrayBuffer>, info: new TextEncoder().encode('migrascope/v1/3des') },
    ikm,
    56 * 8,
  );
  return { suite, key: tdesKeyFrom(new Uint8Array(bits)) };
}

async function sharedSecret(pair: CryptoKeyPair, peerPublic: Uint8Array): Promise<CryptoKey> {
  const peer = await subtle().importKey('raw', peerPublic as Uint8Array<ArrayBuffer>, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  const secret = await subtle().deriveBits({ name: 'ECDH', public: peer }, pair.privateKey, 256);
  return subtle().importKey('raw', secret, 'HKDF', false, ['deriveKey', 'deriveBits']);
}

/** AES-GCM-256 session key (non-extractable). */
export async function deriveSessionKey(pair: CryptoKeyPair, peerPublic: Uint8Array, migrationId: Uint8Array): Promise<CryptoKey> {
  const ikm = await sharedSecret(pair, peerPublic);
  return subtle().deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: migrationId as Uint8Array<ArrayBuffer>, info: new TextEncoder().encode('migrascope/v1/pages') },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}
