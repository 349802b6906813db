/**
 * Keys between two hosts, one session per channel (as QEMU's multifd runs a TLS session per channel).
 * Each host has a long-term identity (ECDSA P-256) that the management plane knows; for every channel
 * it makes a fresh ECDH P-256 key pair and signs its public half together with the migration id, the
 * link, the channel, its role and the cipher it offers. The peer checks that signature against the
 * identity it expects, so a host that is not who it claims, a swapped key or a stripped cipher offer is
 * caught before any page moves. HKDF-SHA-256 (salt: the migration id; info: link, channel, direction and
 * both public keys) gives one key per direction: no (key, nonce) pair can repeat across channels,
 * directions, migrations or restarts. Private and session keys are non-extractable.
 */
import type { SessionKey } from './record';
import { tdesKeyFrom } from './tdes';

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const utf8 = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s);

export type Suite = 'aes-gcm' | '3des';
export type Offer = Suite | 'none';

export interface Identity {
  privateKey: CryptoKey;
  /** Raw public key (65 bytes), what the management plane records for this host. */
  publicRaw: Uint8Array;
}

/** A host's long-term signing identity. */
export async function newIdentity(): Promise<Identity> {
  const pair = (await subtle().generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  return { privateKey: pair.privateKey, publicRaw: new Uint8Array(await subtle().exportKey('raw', pair.publicKey)) };
}

export async function newKeyPair(): Promise<CryptoKeyPair> {
  return subtle().generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']) as Promise<CryptoKeyPair>;
}

/** The public half, raw (65 bytes), to send to the peer. */
export async function publicRaw(pair: CryptoKeyPair): Promise<Uint8Array> {
  return new Uint8Array(await subtle().exportKey('raw', pair.publicKey));
}

/** One side's opening message of a channel's handshake. */
export interface Hello {
  /** Host index the sender claims (0 source, 1 main, 2… sub hosts). */
  host: number;
  link: number;
  channel: number;
  offer: Offer;
  ecdh: Uint8Array;
  /** The identity public key the sender claims, and its signature over the transcript (null: unsigned). */
  identity: Uint8Array | null;
  signature: Uint8Array | null;
}

function transcript(migrationId: Uint8Array, h: Omit<Hello, 'signature' | 'identity'>): Uint8Array<ArrayBuffer> {
  const head = utf8(`migrascope/v1/hello/${h.host}/${h.link}/${h.channel}/${h.offer}/`);
  const out = new Uint8Array(head.length + migrationId.length + h.ecdh.length);
  out.set(head, 0);
  out.set(migrationId, head.length);
  out.set(h.ecdh, head.length + migrationId.length);
  return out;
}

export async function signHello(identity: Identity | null, migrationId: Uint8Array, h: Omit<Hello, 'signature' | 'identity'>): Promise<Hello> {
  if (!identity) return { ...h, identity: null, signature: null };
  const sig = await subtle().sign({ name: 'ECDSA', hash: 'SHA-256' }, identity.privateKey, transcript(migrationId, h));
  return { ...h, identity: identity.publicRaw, signature: new Uint8Array(sig) };
}

/** Whether `h` is signed by the identity the management plane recorded for its claimed host. */
export async function verifyHello(h: Hello, migrationId: Uint8Array, expectedIdentity: Uint8Array): Promise<boolean> {
  if (!h.signature || !h.identity || !equalBytes(h.identity, expectedIdentity)) return false;
  try {
    const key = await subtle().importKey('raw', expectedIdentity as Uint8Array<ArrayBuffer>, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    return await subtle().verify({ name: 'ECDSA', hash: 'SHA-256' }, key, h.signature as Uint8Array<ArrayBuffer>, transcript(migrationId, h));
  } catch {
    return false;
  }
}

async function sharedSecret(pair: CryptoKeyPair, peerPublic: Uint8Array): Promise<CryptoKey> {
  const peer = await subtle().importKey('raw', peerPublic as Uint8Array<ArrayBuffer>, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  const secret = await subtle().deriveBits({ name: 'ECDH', public: peer }, pair.privateKey, 256);
  return subtle().importKey('raw', secret, 'HKDF', false, ['deriveKey', 'deriveBits']);
}

async function directional(ikm: CryptoKey, salt: Uint8Array, info: string, suite: Suite): Promise<SessionKey> {
  const params = { name: 'HKDF', hash: 'SHA-256', salt: salt as Uint8Array<ArrayBuffer>, info: utf8(info) };
  if (suite === 'aes-gcm') {
    return { suite, key: await subtle().deriveKey(params, ikm, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']) };
  }
  return { suite, key: tdesKeyFrom(new Uint8Array(await subtle().deriveBits(params, ikm, 56 * 8))) };
}

const hex = (b: Uint8Array): string => Array.from(b.subarray(0, 8), (x) => x.toString(16).padStart(2, '0')).join('');

/**
 * The keys of one channel, from our key pair and the peer's hello: `send` seals what we send, `receive`
 * opens what the peer sends. Both sides derive the same two keys, each in its own direction.
 */
export async function channelKeys(pair: CryptoKeyPair, mine: Uint8Array, theirs: Hello, migrationId: Uint8Array, myHost: number, suite: Suite): Promise<{ send: SessionKey; receive: SessionKey }> {
  const ikm = await sharedSecret(pair, theirs.ecdh);
  const base = `migrascope/v1/${suite}/link${theirs.link}/ch${theirs.channel}`;
  const order = myHost < theirs.host ? `${hex(mine)}${hex(theirs.ecdh)}` : `${hex(theirs.ecdh)}${hex(mine)}`;
  const [send, receive] = await Promise.all([
    directional(ikm, migrationId, `${base}/${myHost}->${theirs.host}/${order}`, suite),
    directional(ikm, migrationId, `${base}/${theirs.host}->${myHost}/${order}`, suite),
  ]);
  return { send, receive };
}

/** Both directions' keys for one pair of key pairs, for tests and the seal benchmark. */
export async function deriveKey(pair: CryptoKeyPair, peerPublic: Uint8Array, migrationId: Uint8Array, suite: Suite): Promise<SessionKey> {
  const ikm = await sharedSecret(pair, peerPublic);
  return directional(ikm, migrationId, `migrascope/v1/${suite}/pages`, suite);
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
