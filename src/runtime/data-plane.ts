/**
 * Plays a simulated run against real host workers, in four jobs kept in their own files: the topology
 * (workers per host and channel, signed handshakes, links), the replay (every guest write and every
 * transfer of the trace as a real seal → link → open), the end of the migration (the state that moves
 * with the VM and the commit protocol), and the byte-for-byte verification. This facade wires them to
 * the scenario's security settings and reports what happened, per host and per channel.
 */
import { endOfRun, mustResolve, type AttackId, type RunResult } from '../core/index';
import { Rng } from '../core/prng';
import { PageClass } from '../core/page-class';
import { transfer } from 'comlink';
import { byChannel, channelOf } from '../../workers/host/slice';
import type { HostStats } from '../../workers/host/types';
import { ATTACKED_LINK, planAttack, type AttackPlan } from './attacks';
import { endProtocol, type EndReport } from './end-protocol';
import { barrier, replay } from './replay';
import { linkOf, Topology, type HandshakeReport, type HostHandle } from './topology';
import { verify, type Verification } from './verify';

/** Real bytes run for VMs up to this size; larger scenarios are refused, never faked. */
export const DATA_PLANE_MAX_MIB = 1024;

/** Records a sender may have unanswered per link and channel before it waits for credit. */
export const DEFAULT_WINDOW = 64;

export interface DataPlaneOptions {
  /** Creates the worker of one host's channel (a Web Worker in the browser; the API itself in Node tests). */
  createHost(host: number, channel: number): HostHandle;
  disposeHost?(host: number, channel: number): void;
  /** Channel workers per host: the scenario's `dataPlane.channels`, with 0 resolved by the caller (cores, at most 8). */
  channels: number;
  /** Relay links through this thread so the attacker can act (forced on when the scenario has an attack). */
  relay?: boolean;
  batchPages?: number;
  /** Keep every (key, nonce) pair for the nonce audit (tests). */
  auditNonces?: boolean;
}

/** How many channel workers "0 = auto" means here: the cores this browser reports, at most 8. */
export function resolveChannels(fromScenario: number, cores: number | undefined): number {
  return fromScenario > 0 ? fromScenario : Math.max(1, Math.min(8, cores ?? 1));
}

export interface ChannelBusy {
  host: number;
  channel: number;
  sendMs: number;
  receiveMs: number;
  cryptoMs: number;
  creditWaitMs: number;
  pagesSealed: number;
  pagesOpened: number;
}

export interface DataPlaneReport {
  attack: AttackId;
  handshakes: HandshakeReport[];
  /** Whether pages moved at all (a failed handshake moves none). */
  pagesMoved: number;
  bytesOnWire: number;
  rejections: { host: number; channel: number; reason: string; link: number; seq: number | null }[];
  /** The destination refused everything after too many bad records. */
  abortedByFlood: boolean;
  verification: Verification | null;
  end: EndReport | null;
  busy: ChannelBusy[];
  hosts: HostStats[][];
  wallMs: number;
  /** Where the wall time went: moving pages (to the last record processed), the end protocol, the memory check. */
  stagesMs: { transfer: number; end: number; verify: number };
  canariesOnWire: number;
  /** What an untrusted SEmigrate sub host can read of what it stores. */
  subHost: { records: number; readablePages: number; sealedPages: number; canariesSeen: number } | null;
  /** Post-copy request tampering: requests refused, and pages served wrongly (defences off). */
  requests: { sent: number; refused: number; wrongPages: number };
  /** Pages re-sent after a link reset (post-copy recovery). */
  resent: number;
  /** Teaching mode: XOR of two ciphertexts under one nonce equals the XOR of the plaintexts. */
  nonceReuse: { leaks: boolean; withUniqueNonces: boolean } | null;
  /** What the attacker on the link did, in words. */
  linkLog: string[];
  /** Duplicate (key, nonce) pairs (with auditNonces; always 0 unless nonce reuse is on). */
  duplicateNonces: number | null;
}

export class DataPlane {
  readonly run: RunResult;
  readonly top: Topology;
  readonly plan: AttackPlan;
  readonly #opts: DataPlaneOptions;
  #disposed = false;

  private constructor(run: RunResult, top: Topology, plan: AttackPlan, opts: DataPlaneOptions) {
    this.run = run;
    this.top = top;
    this.plan = plan;
    this.#opts = opts;
  }

  static async create(run: RunResult, opts: DataPlaneOptions): Promise<DataPlane> {
    const s = run.scenario;
    if (s.vm.memoryMiB > DATA_PLANE_MAX_MIB) {
      throw new Error(
        `Real bytes run for VMs up to ${DATA_PLANE_MAX_MIB} MiB; this one has ${s.vm.memoryMiB} MiB. ` +
          'The simulation and its numbers are complete; the host workers do not carry this run.',
      );
    }
    if (s.cipher === 'measured') throw new Error('The "measured" cipher profile is a speed, not a cipher: pick AES or 3DES for real hosts.');
    const plan = planAttack(s);
    const canaries = canaryPages(run);
    const top = await Topology.build(run, {
      createHost: opts.createHost,
      channels: opts.channels,
      relay: opts.relay === true || plan.id !== 'none',
      defences: plan.defences,
      window: DEFAULT_WINDOW,
      auditNonces: opts.auditNonces === true,
      canaryPages: canaries,
      canaryPrefix: `MGS-CANARY-${Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0')).join('')}-`,
      failureLimit: plan.failureLimit,
      keepHistory: plan.keepHistory,
      onHello: plan.onHello,
    });
    const dp = new DataPlane(run, top, plan, opts);
    if (plan.arm && top.agreed) for (const a of await plan.arm(top)) top.relaysOf(ATTACKED_LINK)[0]?.attack(a);
    return dp;
  }

  /** Play the run through the hosts, end the migration, verify, and report. */
  async play(onProgress?: (done: number, total: number) => void, stopped?: () => boolean): Promise<DataPlaneReport> {
    const t0 = performance.now();
    const top = this.top;
    const requests = { sent: 0, refused: 0, wrongPages: 0 };
    let resent = 0;
    let verification: Verification | null = null;
    let end: EndReport | null = null;
    let aborted = false;
    const stages = { transfer: 0, end: 0, verify: 0 };
    const timedVerify = async (): Promise<Verification> => {
      const v0 = performance.now();
      try {
        return await verify(top);
      } finally {
        stages.verify += performance.now() - v0;
      }
    };
    if (top.agreed) {
      let tampered = false;
      const placementKnown = new Set<number>();
      let lastCheck = 0;
      await replay(top, this.run, this.#opts.batchPages ?? 512, {
        progress: onProgress,
        stopped: () => aborted || (stopped?.() ?? false),
        request: this.run.scenario.migration.algorithm === 'precopy' ? undefined : (page) => this.#request(page, requests),
        beforePageIn: async (sub, pages) => {
          // Before the first page-in from a sub host, the main host learns from the source what was placed there.
          if (!placementKnown.has(sub)) {
            placementKnown.add(sub);
            for (let c = 0; c < top.channels; c++) {
              const parts = await top.hosts[0]![c]!.placement(linkOf(0, sub));
              await top.hosts[1]![c]!.learnPlacement(transfer(parts, parts));
            }
          }
          // The untrusted sub host tampers with pages it is about to hand back (on their channel's worker).
          if (this.plan.subHost && !tampered) {
            const mine = byChannel(pages, top.channels);
            for (let c = 0; c < top.channels && !tampered; c++) tampered = (await top.hosts[sub]![c]!.subHostTamper(this.plan.subHost, mine[c]!)) > 0;
          }
          // A flood is noticed at the next page-in or progress check: the destination has stopped listening.
          if (performance.now() - lastCheck > 50) {
            lastCheck = performance.now();
            aborted = (await top.hosts[1]![0]!.flush()).aborted;
          }
        },
      });
      const stats = await barrier(top);
      stages.transfer = performance.now() - t0;
      aborted = stats.some((row, h) => h > 0 && row.some((x) => x.aborted));
      const expectRejections = this.plan.id !== 'none';
      const bad = stats.flatMap((row) => row.flatMap((x) => x.rejected));
      if (bad.length && !expectRejections) {
        const r = bad[0]!;
        throw new Error(`A host rejected a record the model sent in good faith (link ${r.link}, sequence ${r.seq}): ${r.reason}. The run is stopped.`);
      }
      if (this.plan.recoverAfterReset && !aborted) resent = await this.#recover();
      let checked: Verification | null = null;
      const memoryVerified = async (): Promise<boolean> => (checked ??= await timedVerify()).verified;
      const e0 = performance.now();
      end = await endProtocol(top, memoryVerified, { tamper: this.plan.tamper, abortedByDestination: aborted });
      verification = checked ?? (await timedVerify());
      stages.end = performance.now() - e0 - stages.verify;
    }
    const hosts = await barrier(top);
    return this.#report(hosts, performance.now() - t0, { verification, end, aborted, requests, resent, stages });
  }

  /** Post-copy: the destination's authenticated request for `page` reaches the source before the page is sent. */
  async #request(page: number, tally: DataPlaneReport['requests']): Promise<boolean> {
    const c = channelOf(page, this.top.channels);
    const main = this.top.hosts[1]![c]!;
    const src = this.top.hosts[0]![c]!;
    for (let attempt = 0; attempt < 4; attempt++) {
      const payload = new Uint8Array(Uint32Array.of(page).buffer);
      let parts = await main.control(ATTACKED_LINK, 'page-request', payload);
      tally.sent++;
      if (this.plan.tamperRequest) parts = this.plan.tamperRequest(tally.sent - 1, parts);
      const r = await src.openControl(ATTACKED_LINK, transfer(parts, parts));
      if (!r.ok || !r.authenticated || r.kind !== 'page-request' || r.payload.length < 4) {
        // Refused: the vCPU keeps waiting and the destination asks again (never runs with a hole).
        tally.refused++;
        continue;
      }
      const asked = new DataView(r.payload.buffer, r.payload.byteOffset, 4).getUint32(0, true);
      if (asked !== page) tally.wrongPages++;
      return true;
    }
    return false;
  }

  /** After a link reset: the main host says which pages it lacks, and the source sends them again. */
  async #recover(): Promise<number> {
    const { holder } = endOfRun(this.run.trace);
    const expected: number[] = [];
    for (let p = 0; p < holder.length; p++) if (holder[p] === 1) expected.push(p);
    const parts = byChannel(Uint32Array.from(expected), this.top.channels);
    let n = 0;
    for (let c = 0; c < this.top.channels; c++) {
      const lacking = await this.top.hosts[1]![c]!.absent(parts[c]!);
      if (lacking.length) await this.top.hosts[0]![c]!.resend(ATTACKED_LINK, lacking);
      n += lacking.length;
    }
    await barrier(this.top);
    return n;
  }

  async #report(hosts: HostStats[][], wallMs: number, x: { verification: Verification | null; end: EndReport | null; aborted: boolean; requests: DataPlaneReport['requests']; resent: number; stages: DataPlaneReport['stagesMs'] }): Promise<DataPlaneReport> {
    const top = this.top;
    const flat = hosts.flat();
    const canaries = (await Promise.all(top.hosts.flatMap((row) => row.map((h) => h.canariesOnWire())))).reduce((a, b) => a + b, 0);
    const semigrateSub = top.semigrate && top.hosts.length > 2;
    let nonceReuse: DataPlaneReport['nonceReuse'] = null;
    if (this.plan.id === 'nonce-reuse' && top.agreed && this.run.scenario.cipher === 'aes-gcm') {
      const src = top.hosts[0]![0]!;
      const same = (r: { ciphertextXor: Uint8Array; plaintextXor: Uint8Array }) => r.ciphertextXor.every((b, i) => b === r.plaintextXor[i]);
      nonceReuse = { leaks: same(await src.nonceReuse(ATTACKED_LINK, 0, 1, true)), withUniqueNonces: same(await src.nonceReuse(ATTACKED_LINK, 0, 1, false)) };
    }
    const nonces = flat.flatMap((h) => h.nonces);
    return {
      attack: this.plan.id,
      handshakes: top.handshakes,
      pagesMoved: flat.filter((h) => h.host === 0).reduce((n, h) => n + Object.values(h.sent).reduce((m, l) => m + l.pages, 0), 0),
      bytesOnWire: flat.reduce((n, h) => n + h.bytesOut, 0),
      rejections: flat.flatMap((h) => h.rejected.map((r) => ({ host: h.host, channel: h.channel, ...r }))),
      abortedByFlood: x.aborted,
      verification: x.verification,
      end: x.end,
      busy: flat.map((h) => ({ host: h.host, channel: h.channel, sendMs: h.sendMs, receiveMs: h.receiveMs, cryptoMs: h.cryptoMs, creditWaitMs: h.creditWaitMs, pagesSealed: h.pagesSealed, pagesOpened: h.pagesOpened })),
      hosts,
      wallMs,
      stagesMs: x.stages,
      canariesOnWire: canaries,
      subHost: semigrateSub ? await top.hosts[2]![0]!.subHostView() : null,
      requests: x.requests,
      resent: x.resent,
      nonceReuse,
      linkLog: top.links.flatMap((l) => l.relays.flatMap((r) => r?.log ?? [])),
      duplicateNonces: this.#opts.auditNonces ? nonces.length - new Set(nonces).size : null,
    };
  }

  /** What crossed a link for this page most recently: asked of the worker that last sent it. */
  async wireSample(page: number) {
    const { sends } = this.run.trace;
    for (let i = sends.page.length - 1; i >= 0; i--) {
      if (sends.page[i] !== page) continue;
      const from = sends.from[i]!;
      const c = channelOf(page, this.top.channels);
      return this.top.hosts[from]![c]!.wireSample(page);
    }
    return null;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.top.close();
    this.top.hosts.forEach((row, h) => row.forEach((_, c) => this.#opts.disposeHost?.(h, c)));
  }
}

/** Pages that carry a canary secret: `security.canaries` of the guest's anonymous pages, chosen by the seed. */
function canaryPages(run: RunResult): Uint32Array {
  const want = run.scenario.security.canaries;
  if (!want) return new Uint32Array(0);
  const anon: number[] = [];
  run.trace.pageClass.forEach((c, p) => c === PageClass.anon && anon.push(p));
  const rng = new Rng(run.scenario.seed, 17);
  const chosen = new Set<number>();
  while (chosen.size < Math.min(want, anon.length)) chosen.add(anon[rng.int(anon.length)]!);
  return Uint32Array.from([...chosen].sort((a, b) => a - b));
}

export { mustResolve, type HostHandle, type Verification };
