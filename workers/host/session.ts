/**
 * One channel worker's sessions: per link (a pair of hosts, one direction of pages), its key pair, its
 * signed hello, and — once the peer's hello checks out under the policy — the two directional keys.
 * The policy, as VMware's encrypted vMotion offers it: `disabled` moves pages in clear; `opportunistic`
 * encrypts when both offer a cipher (so an attacker who strips the offer gets clear pages, the lesson);
 * `required` demands a cipher and a signature from the identity the management plane knows, or refuses.
 */
import { channelKeys, newKeyPair, publicRaw, signHello, verifyHello, type Hello, type Offer } from '../crypto/keys';
import type { SessionKey } from '../crypto/record';
import type { ChannelConfig, HandshakeVerdict } from './types';

export interface Session {
  link: number;
  peerHost: number;
  pair: CryptoKeyPair | null;
  mine: Hello | null;
  /** Keys once agreed: seal what we send, open what the peer sends (null: clear). */
  send: SessionKey | null;
  receive: SessionKey | null;
  authenticated: boolean;
  /** Sequence numbers of records we seal under `send` (pages and control alike: one nonce space). */
  seq: number;
}

export class Sessions {
  readonly #cfg: ChannelConfig;
  readonly #byLink = new Map<number, Session>();

  constructor(cfg: ChannelConfig) {
    this.#cfg = cfg;
  }

  get(link: number): Session | undefined {
    return this.#byLink.get(link);
  }

  #session(link: number, peerHost: number): Session {
    let s = this.#byLink.get(link);
    if (!s) this.#byLink.set(link, (s = { link, peerHost, pair: null, mine: null, send: null, receive: null, authenticated: false, seq: 0 }));
    return s;
  }

  /** Our opening message for `link`: a fresh key pair, signed with our identity when we have one. */
  async hello(link: number, peerHost: number): Promise<Hello> {
    const cfg = this.#cfg;
    const s = this.#session(link, peerHost);
    s.pair = await newKeyPair();
    const ecdh = await publicRaw(s.pair);
    const signing = cfg.policy === 'disabled' ? null : cfg.identity;
    s.mine = await signHello(signing, cfg.migrationId, { host: cfg.host, link, channel: cfg.channel, offer: cfg.offer, ecdh });
    return s.mine;
  }

  /** Check the peer's hello under the policy; on success derive the channel's keys. */
  async accept(link: number, peer: Hello): Promise<HandshakeVerdict> {
    const cfg = this.#cfg;
    const s = this.#byLink.get(link);
    if (!s?.pair || !s.mine) return { ok: false, reason: 'no hello of ours on this link' };
    if (peer.link !== link || peer.channel !== cfg.channel) return { ok: false, reason: 'the hello is for another link or channel' };
    if (cfg.policy === 'disabled' || cfg.offer === 'none') return { ok: true, encrypted: false, authenticated: false };
    const expected = cfg.identities[s.peerHost] ?? null;
    const checking = cfg.defences.handshake;
    const signed = expected !== null && (await verifyHello(peer, cfg.migrationId, expected));
    const claimsHost = peer.host === s.peerHost;
    if (cfg.policy === 'required' && checking) {
      if (!claimsHost) return { ok: false, reason: `the peer says it is host ${peer.host}, not host ${s.peerHost}` };
      if (!signed) return { ok: false, reason: 'the peer’s hello is not signed by the identity on record (wrong identity or swapped key)' };
      if (peer.offer !== cfg.offer) return { ok: false, reason: `the peer offers ${peer.offer}, this host requires ${cfg.offer} (downgrade)` };
    }
    if (cfg.policy === 'opportunistic' && checking && peer.signature && !signed) {
      return { ok: false, reason: 'the peer signed its hello, but not with the identity on record' };
    }
    // Opportunistic (or checks off): no shared cipher means clear pages. This is what a downgrade buys.
    if (peer.offer !== cfg.offer) return { ok: true, encrypted: false, authenticated: signed };
    const suite = cfg.offer;
    const keys = await channelKeys(s.pair, s.mine.ecdh, peer, cfg.migrationId, cfg.host, suite);
    s.send = keys.send;
    s.receive = keys.receive;
    s.authenticated = signed;
    return { ok: true, encrypted: true, authenticated: signed };
  }

  /** A session for a link that needs no handshake (no key: clear, or a SEmigrate sub host). */
  plain(link: number, peerHost: number): Session {
    return this.#session(link, peerHost);
  }
}

export type { Offer };
