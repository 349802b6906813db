/**
 * Who talks to whom in a real run: every host runs `channels` channel workers; every link (source to
 * each destination; main host to each sub host and back) has one port pair per channel, direct or
 * relayed through the page so an attacker can sit on it. Before any page moves, each channel runs its
 * handshake: both ends sign their key exchange with their host identity, and the peer checks it under
 * the scenario's policy. The protection rules (which hosts hold keys, who opens) come from the core.
 */
import type { Remote } from 'comlink';
import { transfer } from 'comlink';
import { encrypts, holdsKey, sealedClasses, subHostsStoreCiphertext, type RunResult } from '../core/index';
import { newIdentity, type Hello, type Identity, type Offer } from '../../workers/crypto/keys';
import type { HostApi } from '../../workers/host/api';
import { type ChannelConfig, type Defences, type HandshakeVerdict } from '../../workers/host/types';
import { Link } from './link';

/** A channel worker as the runtime holds it: a Comlink proxy (or, in Node tests, the API itself). */
export type HostHandle = Remote<HostApi>;

export interface TopologyOptions {
  createHost(host: number, channel: number): HostHandle;
  channels: number;
  relay: boolean;
  defences: Defences;
  window: number;
  auditNonces: boolean;
  canaryPages: Uint32Array;
  canaryPrefix: string;
  failureLimit: number;
  keepHistory: boolean;
  /** Rewrites a hello on its way across a link (an attacker's hook); identity otherwise. */
  onHello?: (h: Hello, from: number, to: number) => Promise<Hello> | Hello;
}

/** Link ids: source → destination h is h; main → sub h is 16 + h; sub h → main is 32 + h. */
export const linkOf = (from: number, to: number): number => (from === 0 ? to : from === 1 ? 16 + to : 32 + from);

export interface LinkEnds {
  link: number;
  from: number;
  to: number;
  /** The link whose keys seal this one's records (a SEmigrate sub host's pages use the main host's). */
  sealVia: number;
  /** Relayed links, one per channel (null: direct ports). */
  relays: (Link | null)[];
}

export interface HandshakeReport {
  link: number;
  channel: number;
  ok: boolean;
  reason: string | null;
  encrypted: boolean;
  authenticated: boolean;
}

export class Topology {
  readonly hosts: HostHandle[][] = [];
  readonly links: LinkEnds[] = [];
  readonly handshakes: HandshakeReport[] = [];
  readonly migrationId = crypto.getRandomValues(new Uint8Array(16));
  readonly semigrate: boolean;
  readonly channels: number;

  private constructor(readonly run: RunResult, readonly opts: TopologyOptions) {
    this.semigrate = subHostsStoreCiphertext(run.scenario);
    this.channels = opts.channels;
  }

  static async build(run: RunResult, opts: TopologyOptions): Promise<Topology> {
    const t = new Topology(run, opts);
    await t.#start();
    return t;
  }

  /** Whether every channel's handshake succeeded (else no page may move). */
  get agreed(): boolean {
    return this.handshakes.every((h) => h.ok);
  }

  async #start(): Promise<void> {
    const s = this.run.scenario;
    const tr = this.run.trace;
    const hostCount = tr.hosts.length;
    const identities: (Identity | null)[] = [];
    for (let h = 0; h < hostCount; h++) identities.push(holdsKey(s, h) ? await newIdentity() : null);
    const offer: Offer = encrypts(s) ? (s.cipher === '3des' ? '3des' : 'aes-gcm') : 'none';
    for (let h = 0; h < hostCount; h++) {
      const row: HostHandle[] = [];
      for (let c = 0; c < this.channels; c++) {
        const handle = this.opts.createHost(h, c);
        const cfg: ChannelConfig = {
          host: h, role: h === 0 ? 'source' : h === 1 ? 'main' : 'sub', channel: c, channels: this.channels,
          pageCount: tr.pageCount, seed: s.seed, pageClass: tr.pageClass, touchClass: tr.touchClass, migrationId: this.migrationId,
          offer, policy: s.security.policy, sealedClasses: sealedClasses(s), framePages: s.dataPlane.framePages,
          storesCiphertext: this.semigrate && h >= 2, identity: identities[h] ?? null, identities: identities.map((i) => i?.publicRaw ?? null),
          defences: this.opts.defences, nonceReuse: false, canaryPages: this.opts.canaryPages, canaryPrefix: this.opts.canaryPrefix,
          window: this.opts.window, auditNonces: this.opts.auditNonces, failureLimit: this.opts.failureLimit, keepHistory: this.opts.keepHistory && h >= 2,
        };
        await handle.init(cfg);
        row.push(handle);
      }
      this.hosts.push(row);
    }
    // Links: a SEmigrate sub host holds no key, so pages to it are sealed for the main host.
    for (let h = 1; h < hostCount; h++) this.links.push({ link: linkOf(0, h), from: 0, to: h, sealVia: this.semigrate && h >= 2 ? linkOf(0, 1) : linkOf(0, h), relays: [] });
    for (let h = 2; h < hostCount; h++) {
      this.links.push({ link: linkOf(1, h), from: 1, to: h, sealVia: this.semigrate ? linkOf(0, 1) : linkOf(1, h), relays: [] });
      this.links.push({ link: linkOf(h, 1), from: h, to: 1, sealVia: this.semigrate ? -1 : linkOf(h, 1), relays: [] });
    }
    for (const l of this.links) if (l.sealVia === l.link && encrypts(s)) await this.#handshake(l);
    if (!this.agreed) return;
    for (const l of this.links) {
      for (let c = 0; c < this.channels; c++) {
        const relay = this.opts.relay ? new Link(l.link, c) : null;
        const direct = relay ? null : new MessageChannel();
        const out = relay ? relay.senderPort : direct!.port1;
        const inn = relay ? relay.receiverPort : direct!.port2;
        l.relays.push(relay);
        // The main host's session with the source is link 1; it seals page-outs with it under SEmigrate.
        const via = l.sealVia < 0 ? l.link : l.from === 1 && this.semigrate ? 1 : l.sealVia;
        await this.hosts[l.from]![c]!.attachOut(l.link, transfer(out, [out]), l.to, via, this.semigrate && l.to >= 2);
        await this.hosts[l.to]![c]!.attachIn(l.link, transfer(inn, [inn]), l.from);
      }
    }
  }

  async #handshake(l: LinkEnds): Promise<void> {
    const hook = this.opts.onHello ?? ((h: Hello) => h);
    for (let c = 0; c < this.channels; c++) {
      const a = this.hosts[l.from]![c]!;
      const b = this.hosts[l.to]![c]!;
      const [ha, hb] = await Promise.all([a.hello(l.link, l.to), b.hello(l.link, l.from)]);
      const [toB, toA] = await Promise.all([hook(ha, l.from, l.to), hook(hb, l.to, l.from)]);
      const [vb, va] = (await Promise.all([b.accept(l.link, toB), a.accept(l.link, toA)])) as HandshakeVerdict[];
      const bad = [va, vb].find((v) => !v!.ok);
      this.handshakes.push({
        link: l.link,
        channel: c,
        ok: !bad,
        reason: bad && !bad.ok ? bad.reason : null,
        encrypted: va!.ok && vb!.ok && va!.encrypted && vb!.encrypted,
        authenticated: va!.ok && vb!.ok && va!.authenticated && vb!.authenticated,
      });
    }
  }

  relaysOf(link: number): (Link | null)[] {
    return this.links.find((l) => l.link === link)?.relays ?? [];
  }

  close(): void {
    for (const l of this.links) for (const r of l.relays) r?.close();
  }
}

