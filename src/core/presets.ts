/**
 * Ready-made scenarios: a first look for newcomers and at least one per seed paper. Each says which
 * paper it follows and which of its figures are the paper's and which are our model's.
 */
import type { ScenarioInput } from './scenario-types';

export interface Preset {
  id: string;
  title: string;
  /** The paper it follows (short citation), or null. */
  paper: string | null;
  summary: string;
  input: ScenarioInput;
}

const F = { name: 'F1', speed: 1, cores: 2 };
const F2 = { name: 'F2', speed: 1, cores: 2 };
/**
 * Hu et al. host S: Pentium E5300, 2.6 GHz; speed from Kernbench, 69.96 s on F vs 127.39 s on S. Its cipher
 * speed is the clock ratio (2.6/3.3): table-driven AES and 3DES take about the same cycles a byte on both cores.
 */
const S = { name: 'S', speed: 0.55, cipherSpeed: 0.79, cores: 2 };
const HU = 'Hu et al., Performance Analysis of Encryption in Securing the Live Migration of VMs';
/**
 * Hu et al.'s hypervisor: qemu-kvm 0.12.3, whose bandwidth estimate and 30 ms default downtime limit
 * (migrate_max_downtime) are what made their actual downtime "significantly higher" than the estimate.
 */
const HU_TESTBED = { hypervisor: 'qemu-kvm-0.12', migration: { downtimeLimitMs: 30 } } as const;

export const PRESETS: Preset[] = [
  {
    id: 'first-look',
    title: 'First look: pre-copy with AES',
    paper: null,
    summary: 'A 256 MiB VM writing to 32 MiB of memory moves to a twin host over 1 Gbit/s, encrypted with AES.',
    input: { vm: { memoryMiB: 256 }, workload: { kind: 'write', workingSetMiB: 32, touchesPerS: 6144 }, cipher: 'aes-gcm' },
  },
  {
    id: 'hu-precopy-aes',
    title: 'Pre-copy, write-intensive, AES (F1 → F2)',
    paper: HU,
    summary: 'Testbed of Hu et al.: qemu-kvm 0.12.3, 1 GB VM, 1 Gbit/s, 128 MB working set, 30 ms downtime limit. AES keeps up with the link; pre-copy converges, with a pause far longer than 0.12 expected.',
    input: { ...HU_TESTBED, workload: { kind: 'write', workingSetMiB: 128 }, source: F, destinations: [F2], cipher: 'aes-gcm' },
  },
  {
    id: 'hu-precopy-3des',
    title: 'Pre-copy, write-intensive, 3DES: no convergence',
    paper: HU,
    summary: 'Same VM with a 3DES-class cipher: the dirty set stops shrinking and pre-copy hits its caps.',
    input: { ...HU_TESTBED, workload: { kind: 'write', workingSetMiB: 128 }, source: F, destinations: [F2], cipher: '3des' },
  },
  {
    id: 'hu-postcopy-s-f',
    title: 'Post-copy from slow S to fast F',
    paper: HU,
    summary: 'The fast destination runs the guest quickly while the slow source encrypts: most network faults.',
    input: { hypervisor: 'qemu-kvm-0.12', workload: { kind: 'write', workingSetMiB: 128 }, source: S, destinations: [{ ...F, name: 'F1' }], cipher: 'aes-gcm', migration: { algorithm: 'postcopy', downtimeLimitMs: 30 } },
  },
  {
    id: 'hu-netperf',
    title: 'Network-intensive guest (Netperf)',
    paper: HU,
    summary: 'A Netperf server in the guest: few dirty pages, but its packet processing competes with AES for the CPU.',
    input: { ...HU_TESTBED, workload: { kind: 'network', workingSetMiB: 32, touchesPerS: 1024 }, source: F, destinations: [F2], cipher: 'aes-gcm' },
  },
  {
    id: 'hu-kernbench',
    title: 'CPU-intensive guest (Kernbench)',
    paper: HU,
    summary: 'A kernel compile in the guest: encryption competes with it for the source CPU during pre-copy.',
    input: { ...HU_TESTBED, vm: { vcpus: 2 }, workload: { kind: 'cpu', workingSetMiB: 256, touchesPerS: 2048 }, source: F, destinations: [F2], cipher: '3des' },
  },
  {
    id: 'fctrans-split',
    title: 'Split migration with FCtrans',
    paper: 'Tauchi, Kourai, Rahim, FCtrans (IEEE CLOUD 2021)',
    summary: 'A mostly idle 8 GiB VM split over a main host and three sub hosts; unused memory is never sent or paged.',
    input: {
      hypervisor: 'kvm-split',
      vm: { memoryMiB: 8192, composition: { free: 0.7, zero: 0.05, kernelCode: 0.01, kernelData: 0.04, pageCache: 0.1, anon: 0.1 } },
      workload: { kind: 'write', workingSetMiB: 256, touchesPerS: 4096, allocMiBps: 32 },
      destinations: [
        { name: 'main', capacityMiB: 2048 },
        { name: 'sub1', capacityMiB: 2048 },
        { name: 'sub2', capacityMiB: 2048 },
        { name: 'sub3', capacityMiB: 2048 },
      ],
      split: { skipUnused: true },
    },
  },
  {
    id: 'semigrate-split',
    title: 'Encrypted split migration with SEmigrate',
    paper: 'Horio, Takahashi, Kourai, Rahim, SEmigrate (2022)',
    summary: 'Sub hosts store ciphertext and never decrypt; only sensitive pages (user memory, kernel data) are encrypted.',
    input: {
      hypervisor: 'kvm-split',
      vm: { memoryMiB: 4096 },
      workload: { kind: 'write', workingSetMiB: 1536, fileShare: 0.5, touchesPerS: 4096, hotFraction: 0.3, hotShare: 0.7 },
      destinations: [
        { name: 'main', capacityMiB: 1024 },
        { name: 'sub1', capacityMiB: 2048 },
        { name: 'sub2', capacityMiB: 2048 },
      ],
      // Remote paging inside a rack: 10 Gbit/s, 10 µs, where cipher work dominates a fault's cost.
      pagingLink: { bandwidthMbps: 10000, latencyMs: 0.01 },
      split: { semigrate: true },
    },
  },
  {
    id: 'protocol-attacks',
    title: 'Attacks on the migration protocol',
    paper: 'Zhang, Chen, Security-Preserving Live Migration of Virtual Machines in the Cloud (JNSM 2013)',
    summary: 'A small VM to move with real hosts while an attacker on the link tampers, replays, reorders or drops records: pick one under Real hosts.',
    input: { hypervisor: 'xen', vm: { memoryMiB: 64 }, workload: { kind: 'write', workingSetMiB: 16, touchesPerS: 4096 }, cipher: 'aes-gcm' },
  },
  {
    id: 'security-context',
    title: 'Migrating the firewall state with the VM',
    paper: 'Chen, Wan, Wan, Long, Seamless VM live migration on network security enhanced hypervisor (2009)',
    summary: "On Xen, the host's stateful firewall keeps 2,000 rules and 5,000 live connections for this VM (a busy web server's); they move with it, the connections inside the downtime.",
    input: {
      hypervisor: 'xen',
      vm: { firewallRules: 2000, firewallConnections: 5000 },
      workload: { kind: 'network', workingSetMiB: 32, touchesPerS: 1024 },
      cipher: 'aes-gcm',
    },
  },
];
