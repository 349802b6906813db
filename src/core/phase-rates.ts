/**
 * Rates of every stream in a phase, from the resolved cost model. A stream is a pipeline of stages —
 * the source's migration threads (one per channel), QEMU's rate limiter, tunnel processes, the link,
 * the receiving threads — and runs at its slowest stage. Threads on one machine share its cores
 * max-min fairly with each other and with the guest's vCPUs (as Linux's scheduler does): the busiest
 * thread of a stream takes its fair share, the others only what the stream's rate needs.
 */
import type { CostModel } from './cost-model';
import { maxMinShare, waterLevel } from './fair-share';

/** Where the VM's vCPUs run in a phase; `none` while it is paused. */
export type VmPlace = 'source' | 'main' | 'none';

export interface PhaseInput {
  vmOn: VmPlace;
  /** Pages of each class (8 entries) per destination stream in the phase; all zero: the stream is idle. */
  mix: readonly Float64Array[];
  /** Whether each destination opens (decrypts) what it receives. */
  opens: readonly boolean[];
  /** QEMU's max-bandwidth applies (live pre-copy rounds only). */
  throttled: boolean;
  /** Auto-converge's vCPU throttle, 0–0.99. */
  cpuThrottle: number;
  /** A network workload's own traffic, bytes/s, and which link direction it loads. */
  contention?: { bytesPerSecond: number; onLink: readonly boolean[] };
}

/** Timing of one stream: seconds per page of each class in its two stages. */
export interface StreamTiming {
  /** Source side: migration thread, rate limiter. */
  up: Float64Array;
  /** After the socket: tunnels, link, receiving thread. */
  down: Float64Array;
  /** Pages per second for the phase's mix. */
  pagesPerSecond: number;
  /** Wire bytes per second for the phase's mix. */
  bytesPerSecond: number;
  /** Wire bytes per second the stream could reach with the source interface to itself. */
  capBytesPerSecond: number;
}

export interface HostCores {
  cipher: number;
  copy: number;
  workload: number;
}

export interface PhaseRates {
  /** Per destination; null when its stream is idle. */
  streams: (StreamTiming | null)[];
  /** Share of its CPU demand the workload gets (1 = uncontended). */
  workloadShare: number;
  /** Workload speed relative to running alone on host F: speed × share × (1 − throttle). */
  workloadSpeed: number;
  /** Cores busy per host (0 source, 1… destinations). */
  cores: HostCores[];
}

interface Stage {
  stream: number;
  machine: number;
  /** Host index (0 source, 1… destinations) for the CPU figures. */
  host: number;
  threads: number;
  /** Seconds of one core per page of each class (speed applied), and its mix average. */
  perClass: Float64Array;
  avg: number;
  /** Of the average, seconds that are cipher work. */
  cipherAvg: number;
  upstream: boolean;
}

const ITERATIONS = 60;

export function phaseRates(cost: CostModel, p: PhaseInput): PhaseRates {
  const n = p.mix.length;
  const pc = cost.perClass;
  const k = cost.channels;
  const stages: Stage[] = [];
  const active: boolean[] = [];
  const avgBytes = new Float64Array(n);
  const avgWire = new Float64Array(n);
  const linkCap = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const mix = p.mix[i]!;
    let pages = 0;
    for (let c = 0; c < 8; c++) pages += mix[c]!;
    active.push(pages > 0);
    if (!pages) continue;
    const avg = (a: Float64Array): number => {
      let s = 0;
      for (let c = 0; c < 8; c++) s += mix[c]! * a[c]!;
      return s / pages;
    };
    avgBytes[i] = avg(pc.pageBytes);
    avgWire[i] = avg(pc.wireBytes);
    const link = cost.links[i]!;
    let linkBps = link.bytesPerSecond;
    if (p.contention?.onLink[i]) linkBps = Math.max(linkBps - p.contention.bytesPerSecond, linkBps / 2);
    linkCap[i] = linkBps;
    // A stage's cipher work runs at the host's cipher speed, the rest at its CPU speed.
    const stage = (host: number, threads: number, a: Float64Array, cipher: Float64Array | null, upstream: boolean): void => {
      const h = cost.hosts[host]!;
      const perClass = a.map((v, c) => (v - (cipher ? cipher[c]! : 0)) / h.speed + (cipher ? cipher[c]! : 0) / h.cipherSpeed);
      const cipherAvg = cipher ? avg(cipher) / h.cipherSpeed : 0;
      const s: Stage = { stream: i, machine: h.machine, host, threads, perClass, avg: (avg(a) - (cipher ? avg(cipher) : 0)) / h.speed + cipherAvg, cipherAvg, upstream };
      if (s.avg > 0) stages.push(s);
    };
    stage(0, k, pc.send, pc.sendCipher, true);
    stage(0, 1, pc.tunnelSend, pc.tunnelCipher, false);
    // The receiving tunnel opens what it receives; as Hu et al. ran it, it also carries what it does not open.
    if (p.opens[i]) stage(i + 1, 1, pc.tunnelReceive, pc.tunnelCipher, false);
    else if (cost.testbed.sshTunnel) stage(i + 1, 1, pc.tunnelReceive.map((v, c) => v - pc.tunnelCipher[c]!), null, false);
    stage(i + 1, k, p.opens[i] ? pc.receiveOpening : pc.receiveStoring, p.opens[i] ? pc.receiveCipher : null, false);
  }
  const vmHost = p.vmOn === 'source' ? 0 : p.vmOn === 'main' ? 1 : -1;
  const vcpu = vmHost < 0 ? 0 : cost.workloadCores * (1 - p.cpuThrottle);
  const vmMachine = vmHost < 0 ? -1 : cost.hosts[vmHost]!.machine;
  const irq = vmHost < 0 ? 0 : Math.min(cost.workloadIrqCores, cost.machines[vmMachine]!);

  // Link and NIC: each stream's link, then the source interface shared max-min fairly. A stream that
  // uses less than its share leaves the rest to the others, so what a stream *could* take (the water
  // level) times its pages, and what it does take bounds its rate.
  const linkCaps = Array.from(linkCap, (b, i) => (active[i] ? b : 0));
  const linkShare = maxMinShare(linkCaps, cost.sourceNicBps);
  const linkAllow = linkCaps.map((b) => Math.min(b, waterLevel(linkCaps.filter((x) => x > 0), cost.sourceNicBps)));
  const throttling = p.throttled && Number.isFinite(cost.throttleBps);
  const byteCaps = linkShare.map((b, i) => (active[i] ? (b * avgBytes[i]!) / avgWire[i]! : 0));
  const throttleShare = throttling ? maxMinShare(byteCaps, cost.throttleBps) : byteCaps.map(() => Infinity);
  const throttleAllow = throttling ? Math.min(cost.throttleBps, waterLevel(byteCaps.filter((x) => x > 0), cost.throttleBps)) : Infinity;
  const fixedCap = linkShare.map((b, i) => (active[i] ? Math.min(b / avgWire[i]!, throttleShare[i]! / avgBytes[i]!) : 0));

  // CPU: iterate to the fixed point where each stream's bottleneck thread holds its fair share and its
  // other threads take only what the stream's rate needs (damped, so the shares settle).
  const rate = fixedCap.slice();
  const bottleneck = new Int32Array(n).fill(-1);
  const alloc = new Float64Array(stages.length);
  const level = new Float64Array(cost.machines.length);
  let vcpuAlloc = vcpu;
  for (let it = 0; it < ITERATIONS; it++) {
    const demand = stages.map((s, j) => (it === 0 || bottleneck[s.stream] === j ? s.threads : Math.min(s.threads, rate[s.stream]! * s.avg)));
    for (let m = 0; m < cost.machines.length; m++) {
      const caps: number[] = [];
      stages.forEach((s, j) => {
        if (s.machine !== m) return;
        for (let t = 0; t < s.threads; t++) caps.push(demand[j]! / s.threads);
      });
      // The guest's load runs as whole threads: 2.5 cores of demand is three threads of 0.83.
      if (vmMachine === m && vcpu > 0) {
        const threads = Math.ceil(vcpu - 1e-9);
        for (let t = 0; t < threads; t++) caps.push(vcpu / threads);
      }
      // The guest's traffic is processed ahead of every thread: it comes off the top of the cores.
      level[m] = waterLevel(caps, Math.max(0, cost.machines[m]! - (vmMachine === m ? irq : 0)));
    }
    stages.forEach((s, j) => (alloc[j] = Math.min(demand[j]!, s.threads * level[s.machine]!)));
    vcpuAlloc = vmMachine >= 0 ? Math.min(vcpu, Math.ceil(vcpu - 1e-9) * level[vmMachine]!) : 0;
    for (let i = 0; i < n; i++) {
      if (!active[i]) continue;
      let r = fixedCap[i]!;
      let b = -1;
      stages.forEach((s, j) => {
        if (s.stream !== i) return;
        const supported = alloc[j]! / s.avg;
        if (supported < r) {
          r = supported;
          b = j;
        }
      });
      bottleneck[i] = b;
      rate[i] = it === 0 ? r : 0.5 * rate[i]! + 0.5 * r;
    }
  }

  const streams: (StreamTiming | null)[] = [];
  const cores: HostCores[] = cost.hosts.map(() => ({ cipher: 0, copy: 0, workload: 0 }));
  for (let i = 0; i < n; i++) {
    if (!active[i]) {
      streams.push(null);
      continue;
    }
    const r = rate[i]!;
    const up = new Float64Array(8);
    const down = new Float64Array(8);
    for (let c = 0; c < 8; c++) {
      up[c] = throttling ? pc.pageBytes[c]! / throttleAllow : 0;
      down[c] = pc.wireBytes[c]! / linkAllow[i]!;
    }
    stages.forEach((s, j) => {
      if (s.stream !== i) return;
      // What the stage can run at: its share if it limits the stream, else what it could take.
      const capacity = Math.max(alloc[j]!, Math.min(s.threads * level[s.machine]!, s.threads, cost.machines[s.machine]!));
      const target = s.upstream ? up : down;
      for (let c = 0; c < 8; c++) target[c] = Math.max(target[c]!, s.perClass[c]! / capacity);
      const used = Math.min(r * s.avg, capacity);
      const cipher = s.avg > 0 ? (used * s.cipherAvg) / s.avg : 0;
      cores[s.host]!.cipher += cipher;
      cores[s.host]!.copy += used - cipher;
    });
    let cpuRate = Infinity;
    stages.forEach((st, j) => {
      if (st.stream !== i) return;
      const capacity = Math.max(alloc[j]!, Math.min(st.threads * level[st.machine]!, st.threads, cost.machines[st.machine]!));
      cpuRate = Math.min(cpuRate, capacity / st.avg);
    });
    const alone = Math.min(linkCap[i]! / avgWire[i]!, cpuRate, throttling ? cost.throttleBps / avgBytes[i]! : Infinity);
    streams.push({ up, down, pagesPerSecond: r, bytesPerSecond: r * avgWire[i]!, capBytesPerSecond: alone * avgWire[i]! });
  }
  if (vmHost >= 0) cores[vmHost]!.workload = vcpuAlloc + irq;
  const share = vcpu > 0 ? vcpuAlloc / vcpu : vmHost < 0 ? 0 : 1;
  const hostSpeed = vmHost < 0 ? 0 : cost.hosts[vmHost]!.speed;
  return { streams, workloadShare: share, workloadSpeed: hostSpeed * share * (1 - p.cpuThrottle), cores };
}
