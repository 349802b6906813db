/**
 * How long things take, in virtual time. A page stream is a pipeline — encrypt at the sender, the
 * link, decrypt at the receiver — whose rate is its slowest stage. Cipher stages scale with the host's
 * CPU speed and lose CPU to the guest's workload when the host's cores are oversubscribed.
 */
import type { CipherId, Scenario, WorkloadKind } from './scenario-types';
import { MiB, PAGE_SIZE } from './units';

export interface CipherProfile {
  id: CipherId;
  label: string;
  /** Bytes per second one core of CPU speed 1 (Hu et al. host F) encrypts or decrypts. */
  bytesPerSecond: number;
  /** Where the figure comes from. */
  provenance: string;
}

/**
 * Model figures, chosen so the Hu et al. findings come out: AES on host F outruns 1 Gbit/s (no
 * overhead F→F) while on host S (speed 0.55) it runs at ~110 MB/s, 12–15 % under the link; the
 * 3DES-class cipher at ~20 MB/s cannot keep up with a write-intensive guest.
 */
export const CIPHERS: Record<Exclude<CipherId, 'measured'>, CipherProfile> = {
  none: { id: 'none', label: 'None (cleartext)', bytesPerSecond: Infinity, provenance: 'no cipher stage' },
  'aes-gcm': {
    id: 'aes-gcm',
    label: 'AES',
    bytesPerSecond: 200e6,
    provenance: 'model: chosen so AES costs ~0 % F→F and 12–15 % with host S, as Hu et al. measured',
  },
  '3des': {
    id: '3des',
    label: '3DES-class',
    bytesPerSecond: 20e6,
    provenance: 'model: OpenSSH 3DES-CBC class speed on 2012 CPUs; Hu et al. saw pre-copy never converge',
  },
};

export function cipherBytesPerSecond(s: Scenario): number {
  return s.cipher === 'measured' ? s.measuredCipherBps : CIPHERS[s.cipher].bytesPerSecond;
}

/** Cores the guest's workload keeps busy on the host it runs on. */
export function workloadCores(kind: WorkloadKind, vcpus: number): number {
  switch (kind) {
    case 'idle':
      return 0.05;
    case 'write':
    case 'read':
      return Math.min(1, vcpus); // one benchmark thread
    case 'network':
      return Math.min(1.5, vcpus + 0.5); // Netperf plus the host's packet processing
    case 'cpu':
      return vcpus; // Kernbench keeps every vCPU busy
  }
}

/** Where the VM's vCPUs run in a phase. `none` while it is paused. */
export type VmPlace = 'source' | 'main' | 'none';

export interface PhaseInput {
  vmOn: VmPlace;
  /** Destinations with an active stream in this phase. */
  active: readonly boolean[];
  /** Per destination: fraction of wire bytes the source must encrypt / the receiver must decrypt. */
  encFraction: readonly number[];
  decFraction: readonly number[];
  /** Auto-converge throttle, 0–0.99. */
  throttle: number;
}

export interface PhaseRates {
  /** Wire bytes per second of each destination's stream (0 when inactive). */
  streamBps: number[];
  /** Share of its CPU demand the workload gets (1 = uncontended). */
  workloadShare: number;
  /** Workload speed relative to running alone on host F: speed × share × (1 − throttle). */
  workloadSpeed: number;
  /** Cores busy on the source and each destination, split into cipher and workload use. */
  sourceCores: { cipher: number; workload: number };
  destCores: { cipher: number; workload: number }[];
  /** Migration's share of each link after the network workload takes its part. */
  linkBps: number[];
}

/**
 * Rates of every stream in a phase. Each stream is capped by its link (less a greedy network
 * workload's share), by the sender's cipher thread and by the receiver's. Streams leaving the source
 * share its interface max-min fairly. CPU is shared max-min fairly too: each cipher thread (one core
 * at most) and the guest's vCPUs get what they ask for when they can, else an equal share of the rest.
 */
export function phaseRates(s: Scenario, p: PhaseInput): PhaseRates {
  const cipher = cipherBytesPerSecond(s);
  const n = s.destinations.length;
  const wl = p.vmOn === 'none' ? 0 : workloadCores(s.workload.kind, s.vm.vcpus) * (1 - p.throttle);
  const linkBps: number[] = [];
  const enc: number[] = [];
  const dec: number[] = [];
  const cap: number[] = [];
  for (let i = 0; i < n; i++) {
    const link = s.links[i]!;
    let bps = (link.bandwidthMbps * 1e6) / 8;
    // A greedy network workload shares the link direction migration uses (TCP fair share at worst).
    if (s.workload.kind === 'network' && p.vmOn !== 'none') {
      const contends =
        (p.vmOn === 'source' && s.workload.netDirection === 'send') ||
        (p.vmOn === 'main' && i === 0 && s.workload.netDirection === 'receive');
      if (contends) bps = Math.max(bps - (s.workload.trafficMbps * 1e6) / 8, bps / 2);
    }
    linkBps.push(bps);
    enc.push(p.encFraction[i]! > 0 ? (cipher * s.source.speed) / p.encFraction[i]! : Infinity);
    dec.push(p.decFraction[i]! > 0 ? (cipher * s.destinations[i]!.speed) / p.decFraction[i]! : Infinity);
    cap.push(p.active[i] ? Math.min(bps, enc[i]!, dec[i]!) : 0);
  }
  // What each stream would carry with the source interface shared, uncontended: its CPU demand.
  const nic = sourceNicBps(s);
  const shared = maxMinShare(cap, nic);
  const srcDemand = shared.map((r, i) => (enc[i] === Infinity ? 0 : Math.min(1, r / enc[i]!)));
  const dstDemand = shared.map((r, i) => (dec[i] === Infinity ? 0 : Math.min(1, r / dec[i]!)));
  const srcWl = p.vmOn === 'source' ? wl : 0;
  const srcGot = maxMinShare([...srcDemand, srcWl], s.source.cores);
  const dstGot = s.destinations.map((d, i) => maxMinShare([dstDemand[i]!, p.vmOn === 'main' && i === 0 ? wl : 0], d.cores));
  const streamBps = cap.map((c, i) => {
    if (c === 0) return 0;
    const e = srcDemand[i]! > 0 ? enc[i]! * srcGot[i]! : Infinity;
    const r = dstDemand[i]! > 0 ? dec[i]! * dstGot[i]![0]! : Infinity;
    // Scale up from the shared rate to the stream's own cap: alone, a stream may use more cipher.
    const scaleE = srcDemand[i]! > 0 ? srcGot[i]! / srcDemand[i]! : 1;
    const scaleD = dstDemand[i]! > 0 ? dstGot[i]![0]! / dstDemand[i]! : 1;
    return Math.min(linkBps[i]!, e === Infinity ? Infinity : Math.max(e, c * scaleE), r === Infinity ? Infinity : Math.max(r, c * scaleD), c);
  });
  const wlGot = p.vmOn === 'source' ? srcGot[n]! : p.vmOn === 'main' ? dstGot[0]![1]! : 0;
  const share = wl > 0 ? wlGot / wl : p.vmOn === 'none' ? 0 : 1;
  const hostSpeed = p.vmOn === 'source' ? s.source.speed : p.vmOn === 'main' ? s.destinations[0]!.speed : 0;
  return {
    streamBps,
    workloadShare: share,
    workloadSpeed: hostSpeed * share * (1 - p.throttle),
    sourceCores: { cipher: srcGot.slice(0, n).reduce((a, b) => a + b, 0), workload: p.vmOn === 'source' ? wlGot : 0 },
    destCores: s.destinations.map((_, i) => ({ cipher: dstGot[i]![0]!, workload: p.vmOn === 'main' && i === 0 ? wlGot : 0 })),
    linkBps,
  };
}

/** Bytes per second the source's interface allows in all (its fastest link when unset). */
export function sourceNicBps(s: Scenario): number {
  const nic = s.source.nicMbps > 0 ? s.source.nicMbps : Math.max(...s.links.map((l) => l.bandwidthMbps));
  return (nic * 1e6) / 8;
}

/** Max-min fair shares of `capacity` among claimants each asking at most `caps[i]` (water-filling). */
export function maxMinShare(caps: readonly number[], capacity: number): number[] {
  const share = new Array<number>(caps.length).fill(0);
  const order = caps.map((_, i) => i).sort((a, b) => caps[a]! - caps[b]! || a - b);
  let left = capacity;
  order.forEach((i, k) => {
    const fair = left / (order.length - k);
    share[i] = Math.min(caps[i]!, fair);
    left -= share[i]!;
  });
  return share;
}

/**
 * Bytes still queued in the sender's socket and tunnel buffers when pre-copy decides to stop (model
 * figure: 4 MiB). QEMU's expected-downtime counts only dirty pages, yet these must drain before the
 * destination can resume: one reason Hu et al. found actual downtime well above the estimate.
 */
export const SEND_BUFFER_BYTES = 4 * MiB;

/** Time to pause the VM, sync the dirty log and resume: model figures (2 ms + 1 ms per GiB scanned). */
export function switchOverheadSeconds(s: Scenario): number {
  return 0.002 + (s.vm.memoryMiB * MiB) / (1024 * MiB) / 1000;
}

/** Connection and key set-up before the first page: two round trips, plus ECDH when encrypted. */
export function setupSeconds(s: Scenario): number {
  const rtt = (2 * s.links[0]!.latencyMs) / 1000;
  return 2 * rtt + (s.cipher === 'none' ? 0 : 0.002 / s.source.speed);
}

/** Pages per second the workload touches at speed 1. */
export function touchPagesPerSecond(s: Scenario): number {
  return (s.workload.rateMiBps * MiB) / PAGE_SIZE;
}

/**
 * The security context's cost (model figures): a rule is 64 bytes on the wire, a tracked connection
 * 48 bytes (a conntrack entry); installing an entry in the destination's firewall takes 0.5 µs at
 * speed 1 (a hash-table insert). With them, Chen et al.'s bound — downtime at most 15 % longer — holds
 * for tens of thousands of connections.
 */
export const FIREWALL_RULE_BYTES = 64;
export const FIREWALL_CONNECTION_BYTES = 48;
export const FIREWALL_INSTALL_SECONDS = 0.5e-6;

export function securityContextBytes(s: Scenario): { rules: number; connections: number } {
  return { rules: s.vm.firewallRules * FIREWALL_RULE_BYTES, connections: s.vm.firewallConnections * FIREWALL_CONNECTION_BYTES };
}
