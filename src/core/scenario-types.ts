/**
 * The scenario: one typed object that drives a run. `resolveScenario` fills defaults and validates;
 * the URL, the CLI, the embed attributes and the UI all go through it. Units are in the field names.
 */
import type { PageClassName } from './page-class';

export type WorkloadKind = 'idle' | 'write' | 'read' | 'network' | 'cpu';
export type Algorithm = 'stop-and-copy' | 'precopy' | 'postcopy' | 'hybrid';
export type CipherId = 'none' | 'aes-gcm' | '3des' | 'measured';
export type NoConvergence = 'force' | 'cancel';
export type StopRule = 'qemu' | 'xen';
export type PartitionPolicy = 'access-aware' | 'address-range';
export type NetDirection = 'receive' | 'send';

export interface HostSpec {
  /** Shown in the UI and traces. */
  name: string;
  /** CPU speed relative to the Hu et al. fast host F (i3-2120, 3.3 GHz) = 1. */
  speed: number;
  /** Physical cores. */
  cores: number;
  /** Memory this host can give the VM, MiB (used by split migration). */
  capacityMiB: number;
  /** Network interface, Mbit/s: every stream leaving the host shares it (0 = as fast as its fastest link). */
  nicMbps: number;
}

export interface LinkSpec {
  bandwidthMbps: number;
  /** One-way latency, ms. */
  latencyMs: number;
}

export interface VmSpec {
  memoryMiB: number;
  vcpus: number;
  /** Fractions of memory per page class; they must sum to 1. */
  composition: Record<PageClassName, number>;
  /** Which classes guest-OS analysis calls sensitive (SEmigrate encrypts only these). */
  sensitive: Record<PageClassName, boolean>;
  /** vCPU and device state sent at the switch-over, KiB. */
  deviceStateKiB: number;
  /**
   * The host's security context for this VM (Chen et al.): stateful-firewall rules (sent during the
   * live phase) and tracked connections (sent in the downtime, then installed at the destination).
   * Zero rules and connections: the context is not migrated.
   */
  firewallRules: number;
  firewallConnections: number;
}

export interface WorkloadSpec {
  kind: WorkloadKind;
  /** Memory the workload writes/reads, MiB (Hu et al.: 64–768). */
  workingSetMiB: number;
  /** Page-granular memory touches per second at CPU speed 1, MiB/s (writes for `write`, reads for `read`). */
  rateMiBps: number;
  /** Share of the working set that is hot. */
  hotFraction: number;
  /** Share of the working set that is file data in the page cache (the rest is anonymous memory). */
  fileShare: number;
  /** Share of touches that land on the hot part. */
  hotShare: number;
  /** Background pages the guest OS dirties per second (kernel data, page cache), at speed 1. */
  backgroundDirtyPagesPerS: number;
  /** Network-intensive workload: traffic it sends or receives, Mbit/s. */
  trafficMbps: number;
  netDirection: NetDirection;
  /** Fresh memory the guest allocates per second after a split migration, MiB/s (touches unused pages). */
  allocMiBps: number;
  /** Share of memory the guest frees during the run, per second (FCtrans reclaim), 0–1. */
  freeRatePerS: number;
  /** Length of the workload without migration, s (progress metric for `cpu`; run length after migration). */
  runSeconds: number;
}

export interface MigrationSpec {
  algorithm: Algorithm;
  downtimeLimitMs: number;
  maxRounds: number;
  maxTotalS: number;
  onNoConvergence: NoConvergence;
  stopRule: StopRule;
  autoConverge: boolean;
  /** Pages sent around a faulting page in post-copy (0 = off). */
  prepagePages: number;
  /** Pre-copy rounds before a hybrid run switches to post-copy. */
  hybridRounds: number;
  /** Start time of the migration after the workload starts, s. */
  startAtS: number;
}

export interface SplitSpec {
  /** FCtrans: track unused pages and never send or page them. */
  skipUnused: boolean;
  /** SEmigrate: sub hosts store ciphertext, only sensitive classes are encrypted. */
  semigrate: boolean;
  policy: PartitionPolicy;
  /** Seconds of remote paging simulated after a split migration. */
  pagingSeconds: number;
}

export interface DataPlaneSpec {
  /**
   * Pages per sealed record on the real hosts (1 = one cipher call per page, the teaching option;
   * WebCrypto costs ~20 µs a call whatever its size, so frames of 16 pages go several times faster).
   */
  framePages: number;
}

export interface Scenario {
  seed: number;
  vm: VmSpec;
  workload: WorkloadSpec;
  source: HostSpec;
  /** The first destination is the main host; any others are sub hosts (split migration). */
  destinations: HostSpec[];
  /** Link from the source to each destination, by index; missing entries copy the first. */
  links: LinkSpec[];
  /** Link between the main host and each sub host for remote paging. */
  pagingLink: LinkSpec;
  cipher: CipherId;
  /** Measured cipher speed in bytes/s at speed 1, used when `cipher` is `measured`. */
  measuredCipherBps: number;
  migration: MigrationSpec;
  split: SplitSpec;
  dataPlane: DataPlaneSpec;
}

/** What a caller may pass: any subset; `resolveScenario` fills the rest. */
export type ScenarioInput = DeepPartial<Scenario>;
export type DeepPartial<T> = T extends (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;
