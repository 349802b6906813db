/**
 * How long things take, in virtual time: the scenario's machines, links, cipher and hypervisor costs,
 * resolved once per run into one object (as Observable Plot resolves its options once). Everything that
 * times a run reads this object, never the scenario. Every figure says where it comes from.
 */
import { encodeProcesses, makeProtectedProcesses } from './protected-processes';
import { PageClass, PAGE_CLASSES } from './page-class';
import type { CipherId, Scenario, Transport, WorkloadKind } from './scenario-types';
import { encrypts, protectionOf, type Protection } from './protection';
import { testbedProfile, type TestbedProfile } from './testbed';
import { DUPLICATE_PAGE_WIRE_BYTES, KiB, MiB, NORMAL_PAGE_WIRE_BYTES, PAGE_SIZE } from './units';

export interface CipherProfile {
  id: CipherId;
  label: string;
  /** Bytes per second one core of CPU speed 1 (Hu et al. host F) encrypts or decrypts. */
  bytesPerSecond: number;
  /** Where the figure comes from. */
  provenance: string;
}

/**
 * Cipher speeds on one core of host F (Hu et al.'s Intel i3-2120, 3.3 GHz, no AES-NI), as OpenSSH 5.9 runs
 * them on their tunnel. Each host runs them at its cipher speed (`cipherSpeed`, by default its CPU speed).
 */
export const CIPHERS: Record<Exclude<CipherId, 'measured'>, CipherProfile> = {
  none: { id: 'none', label: 'None (cleartext)', bytesPerSecond: Infinity, provenance: 'no cipher stage' },
  'aes-gcm': {
    id: 'aes-gcm',
    label: 'AES',
    bytesPerSecond: 165e6,
    provenance:
      'model: AES-128-CBC with hmac-md5 in OpenSSH 5.9 — OpenSSL’s table-driven AES at ~15 cycles a byte and MD5 at ~5 on a core without AES-NI: ~165 MB/s at 3.3 GHz, a little faster than the 1 Gbit/s link ("as fast as transmitting a page", Hu et al.)',
  },
  '3des': {
    id: '3des',
    label: '3DES-class',
    bytesPerSecond: 20e6,
    provenance: 'model: 3DES-CBC with hmac-md5 in OpenSSH 5.9 — three DES passes in OpenSSL’s C code, ~160 cycles a byte: ~20 MB/s at 3.3 GHz; Hu et al. saw pre-copy never converge',
  },
};

/** TLS 1.3 record overhead: 5-byte header, 1-byte inner content type, 16-byte AEAD tag (RFC 8446). */
export const TLS_RECORD_OVERHEAD_BYTES = 22;
/**
 * TLS records per page: QEMU writes a normal page as two I/O vectors (the 8-byte header from its
 * buffer, then the page itself) and its TLS channel makes one record of each; zero-page markers are
 * small writes coalesced in the buffer with their neighbours, so they add no record of their own.
 */
export const TLS_RECORDS_PER_NORMAL_PAGE = 2;
/** QEMU's rate limiter and its bandwidth estimate work in windows of this length (BUFFER_DELAY). */
export const BANDWIDTH_WINDOW_S = 0.1;

/**
 * The security context's cost (model figures): a rule is 64 bytes on the wire, a tracked connection
 * 48 bytes (a conntrack entry); installing an entry in the destination's firewall takes 0.5 µs at
 * speed 1 (a hash-table insert). With them, Chen et al.'s bound — downtime at most 15 % longer — holds
 * for tens of thousands of connections.
 */
export const FIREWALL_RULE_BYTES = 64;
export const FIREWALL_CONNECTION_BYTES = 48;
export const FIREWALL_INSTALL_SECONDS = 0.5e-6;

/** Cores the guest's workload keeps busy on the host it runs on (model figures). */
export function workloadCores(kind: WorkloadKind, vcpus: number): number {
  switch (kind) {
    case 'idle':
      return 0.05;
    case 'write':
    case 'read':
      return Math.min(1, vcpus); // one benchmark thread
    case 'network':
      return 1; // Netperf's thread (its packets' processing on the host is NETWORK_IRQ_CORES, ahead of threads)
    case 'cpu':
      return vcpus; // Kernbench keeps every vCPU busy
  }
}

/**
 * The host's work for a network-intensive guest's traffic at about 1 Gbit/s — the NIC's interrupts and
 * softirq receive path, the bridge and tap, the virtio-net backend — in cores. It runs ahead of every
 * user thread (softirq preempts them), so it comes off the top of the host's cores rather than taking
 * a fair share: with Netperf in the guest the SSH tunnel gets less of the source's CPU (Hu et al.: pre-
 * copy's migration bandwidth 5–10 % lower with AES). A model figure: the packet path at ~4 ns a byte.
 */
export const NETWORK_IRQ_CORES = 0.5;

export interface HostCost {
  name: string;
  speed: number;
  /** Speed for cipher work (× host F): the CPU speed unless the host says otherwise. */
  cipherSpeed: number;
  /** Index into `machines` of the cores this host runs on (a colocated host shares the source's). */
  machine: number;
}

export interface StreamLink {
  /** Link capacity, bytes/s. */
  bytesPerSecond: number;
  latencyS: number;
  /** Socket buffering between sender and receiver, bytes. */
  bufferBytes: number;
}

/** Per page class, seconds of one core's work at speed 1 for each stage of a stream. */
export interface ClassCosts {
  /** Bytes QEMU counts in `transferred` (and the rate limiter counts). */
  pageBytes: Float64Array;
  /** Bytes on the link, with TLS record overhead when TLS seals it. */
  wireBytes: Float64Array;
  /** Source migration thread: scan, copy, socket; plus sealing when TLS runs in the thread. */
  send: Float64Array;
  /** Destination thread: parse, place, socket; plus opening when TLS runs in the thread (per receiver: opening or not). */
  receiveOpening: Float64Array;
  receiveStoring: Float64Array;
  /** Tunnel process (SSH) on the sending and on the receiving end, per page; 0 when TLS or no tunnel. */
  tunnelSend: Float64Array;
  tunnelReceive: Float64Array;
  /** Of the tunnel's work, the cipher's. */
  tunnelCipher: Float64Array;
  /** Of `send` and `receiveOpening`, the part that is cipher work (for the CPU figures and each host's cipher speed). */
  sendCipher: Float64Array;
  receiveCipher: Float64Array;
  /** Whether each class is sealed at all. */
  sealed: Uint8Array;
}

export interface CostModel {
  readonly hosts: readonly HostCost[];
  /** Cores per machine (machine 0 is the source's). */
  readonly machines: readonly number[];
  /** Source → each destination. */
  readonly links: readonly StreamLink[];
  readonly pagingLink: StreamLink;
  /** The source's network interface, bytes/s, shared by its streams. */
  readonly sourceNicBps: number;
  /** QEMU's max-bandwidth on `transferred` bytes in live rounds; Infinity when unset. */
  readonly throttleBps: number;
  /** Parallel channels (multifd): per-page and in-thread cipher work divide over them. */
  readonly channels: number;
  readonly cipher: CipherProfile;
  readonly transport: Transport;
  readonly encrypting: boolean;
  /** Cipher bytes per second per core at speed 1. */
  readonly cipherBps: number;
  readonly perClass: ClassCosts;
  /** Protection of each page class on the wire. */
  readonly protection: readonly Protection[];
  /** Seconds to stop the vCPUs and read the dirty log for the last time. */
  readonly pauseS: number;
  /** Cores the guest keeps busy when it runs. */
  readonly workloadCores: number;
  /** Cores the host spends on the guest's traffic ahead of every thread (a network workload), where the guest runs. */
  readonly workloadIrqCores: number;
  /** Connection set-up before the first page: two round trips, plus ECDH when encrypted. */
  readonly setupS: number;
  readonly deviceStateBytes: number;
  readonly firewall: { ruleBytes: number; connectionBytes: number; installS: number };
  /** How the hypervisor estimates the bandwidth its stop rule divides by (see TestbedProfile). */
  readonly bandwidthEstimate: TestbedProfile['bandwidthEstimate'];
  /** The hypervisor's mechanisms, resolved once. */
  readonly testbed: TestbedProfile;
}

/** The measured browser profile or a named cipher. */
export function cipherProfile(s: Scenario): CipherProfile {
  if (s.cipher !== 'measured') return CIPHERS[s.cipher];
  return { id: 'measured', label: 'AES (measured here)', bytesPerSecond: s.measuredCipherBps, provenance: 'measured in this browser (AES-GCM in a worker)' };
}

const bps = (mbps: number): number => (mbps * 1e6) / 8;

/** Resolve a scenario's costs once; every stage of every run reads only this. */
export function resolveCostModel(s: Scenario): CostModel {
  const cipher = cipherProfile(s);
  const encrypting = encrypts(s);
  const testbed = testbedProfile(s.hypervisor);
  const cipherSpeed = (h: Scenario['source']): number => (h.cipherSpeed > 0 ? h.cipherSpeed : h.speed);
  const hosts: HostCost[] = [{ name: s.source.name, speed: s.source.speed, cipherSpeed: cipherSpeed(s.source), machine: 0 }];
  const machines = [s.source.cores];
  s.destinations.forEach((d) => {
    if (d.colocated) hosts.push({ name: d.name, speed: d.speed, cipherSpeed: cipherSpeed(d), machine: 0 });
    else {
      hosts.push({ name: d.name, speed: d.speed, cipherSpeed: cipherSpeed(d), machine: machines.length });
      machines.push(d.cores);
    }
  });
  const link = (l: Scenario['pagingLink']): StreamLink => ({ bytesPerSecond: bps(l.bandwidthMbps), latencyS: l.latencyMs / 1000, bufferBytes: l.bufferMiB * MiB });
  const protection = PAGE_CLASSES.map((_, c) => protectionOf(s, c));
  const nic = s.source.nicMbps > 0 ? s.source.nicMbps : Math.max(...s.links.map((l) => l.bandwidthMbps));
  return {
    hosts,
    machines,
    links: s.links.map(link),
    pagingLink: link(s.pagingLink),
    sourceNicBps: bps(nic),
    throttleBps: s.migration.maxBandwidthMiBps > 0 ? s.migration.maxBandwidthMiBps * MiB : Infinity,
    channels: s.migration.channels,
    cipher,
    transport: s.transport,
    encrypting,
    cipherBps: cipher.bytesPerSecond,
    perClass: classCosts(s, cipher.bytesPerSecond, protection, testbed),
    protection,
    pauseS: s.cpu.pauseMs / 1000 + testbed.switchOverS,
    workloadCores: s.workload.cpuThreads > 0 ? s.workload.cpuThreads : workloadCores(s.workload.kind, s.vm.vcpus),
    workloadIrqCores: s.workload.kind === 'network' ? NETWORK_IRQ_CORES : 0,
    setupS: (4 * s.links[0]!.latencyMs) / 1000 + (encrypting ? 0.002 / s.source.speed : 0),
    deviceStateBytes: s.vm.deviceStateKiB * KiB,
    firewall: { ruleBytes: FIREWALL_RULE_BYTES, connectionBytes: FIREWALL_CONNECTION_BYTES, installS: FIREWALL_INSTALL_SECONDS },
    bandwidthEstimate: testbed.bandwidthEstimate,
    testbed,
  };
}

function classCosts(s: Scenario, cipherBps: number, protection: readonly Protection[], testbed: TestbedProfile): ClassCosts {
  const n = 8;
  const c: ClassCosts = {
    pageBytes: new Float64Array(n),
    wireBytes: new Float64Array(n),
    send: new Float64Array(n),
    receiveOpening: new Float64Array(n),
    receiveStoring: new Float64Array(n),
    tunnelSend: new Float64Array(n),
    tunnelReceive: new Float64Array(n),
    tunnelCipher: new Float64Array(n),
    sendCipher: new Float64Array(n),
    receiveCipher: new Float64Array(n),
    sealed: new Uint8Array(n),
  };
  const us = 1e-6;
  const socket = s.cpu.socketNsPerByte * 1e-9;
  const tls = s.transport === 'tls';
  // qemu-kvm 0.12's ram_save_block reads every page whole (is_dup_page) and copies a normal one into the
  // QEMUFile buffer before anything is written: QKVM012_PAGE_US more per page than QEMU 7.2's path.
  const legacy = testbed.sendPageExtraUs * us;
  const ssh = testbed.sshTunnel;
  for (let k = 0; k < PAGE_CLASSES.length; k++) {
    const zero = k === PageClass.zero;
    const bytes = zero ? DUPLICATE_PAGE_WIRE_BYTES : NORMAL_PAGE_WIRE_BYTES;
    // Authenticated-only pages (SEmigrate's non-sensitive memory) cost a MAC, small next to sealing: modelled as free.
    const sealed = protection[k] === 'sealed';
    const records = tls && sealed && !zero ? TLS_RECORDS_PER_NORMAL_PAGE : 0;
    const cipherWork = sealed ? bytes / cipherBps : 0;
    const inThread = tls ? cipherWork + records * s.cpu.tlsRecordUs * us : 0;
    c.pageBytes[k] = bytes;
    c.wireBytes[k] = bytes + records * TLS_RECORD_OVERHEAD_BYTES;
    c.sealed[k] = sealed ? 1 : 0;
    const base = (zero ? s.cpu.zeroPageUs : s.cpu.sendPageUs) * us + legacy;
    c.send[k] = base + socket * bytes + inThread;
    c.sendCipher[k] = tls ? cipherWork : 0;
    const recvBase = zero ? s.cpu.zeroPageUs * us : s.cpu.recvPageUs * us;
    c.receiveStoring[k] = recvBase + socket * bytes;
    c.receiveOpening[k] = recvBase + socket * bytes + inThread;
    c.receiveCipher[k] = tls ? cipherWork : 0;
    // An SSH tunnel seals in its own process. As Hu et al. ran it, it runs for every byte (their `none`
    // cipher too): a socket copy from or to the local QEMU, and the link's network I/O — the receive
    // path on the destination, the transmit path on the source. Otherwise its copies are folded into
    // the cipher figure and it runs only to seal.
    const tunnelCipher = !tls && sealed ? cipherWork : 0;
    c.tunnelCipher[k] = tunnelCipher;
    c.tunnelSend[k] = tunnelCipher + (ssh && !tls ? (socket + ssh.txNsPerByte * 1e-9) * bytes : 0);
    c.tunnelReceive[k] = tunnelCipher + (ssh && !tls ? (socket + ssh.rxNsPerByte * 1e-9) * bytes : 0);
  }
  return c;
}

/**
 * Bytes the security context puts on the wire: rules before the first page, connections when paused.
 * None when the context does not move (a plain hypervisor, Chen et al.'s baseline).
 */
export function securityContextBytes(s: Scenario): { rules: number; connections: number } {
  if (!s.security.migrateContext) return { rules: 0, connections: 0 };
  return { rules: s.vm.firewallRules * FIREWALL_RULE_BYTES, connections: s.vm.firewallConnections * FIREWALL_CONNECTION_BYTES };
}

/** Pages per second the workload touches at speed 1. */
export function touchPagesPerSecond(s: Scenario): number {
  return s.workload.kind === 'idle' ? 0 : s.workload.touchesPerS;
}

export { PAGE_SIZE };

/**
 * Zhang & Chen's protection metadata, priced as what it is: for each protected process the list of
 * pages it owns and its key digest — the same bytes the real hosts seal (`encodeProcesses`) — sealed and
 * sent while the VM is paused, then installed at the destination, one page mapping at a time, before it
 * resumes. Installing a mapping's protection (an EPT permission update) takes
 * PROTECT_INSTALL_SECONDS at host F's speed: a model figure of the order of a page-table update, not a
 * paper's (the paper reports only that the cost is low).
 */
export const PROTECT_INSTALL_SECONDS = 0.2e-6;

export function protectionMetadata(s: Scenario, pageCount: number): { bytes: number; pages: number } {
  if (s.security.protectedProcesses <= 0) return { bytes: 0, pages: 0 };
  const list = makeProtectedProcesses(s.seed, s.security.protectedProcesses, pageCount);
  return { bytes: encodeProcesses(list).length, pages: list.reduce((a, p) => a + p.pages, 0) };
}
