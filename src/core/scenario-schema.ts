/**
 * Every scenario field with its default, unit, allowed range and meaning, in one table. The resolver,
 * the URL codec and the UI's scenario form all read it, so a range is written once.
 */

import { PAGE_CLASS_LABELS } from './page-class';

export interface NumField {
  t: 'num';
  def: number;
  min: number;
  max: number;
  int?: boolean;
  unit: string;
  doc: string;
}
export interface BoolField {
  t: 'bool';
  def: boolean;
  doc: string;
}
export interface EnumField {
  t: 'enum';
  def: string;
  options: readonly string[];
  doc: string;
}
export interface StrField {
  t: 'str';
  def: string;
  maxLength: number;
  doc: string;
}
export interface ObjField {
  t: 'obj';
  fields: Record<string, Field>;
  /** Optional whole-object check after the fields resolve; returns an error message or null. */
  check?: (value: Record<string, unknown>) => string | null;
}
export interface ArrField {
  t: 'arr';
  of: ObjField;
  min: number;
  max: number;
  /** Default elements; element i of the input is resolved over `def[i]` (or the last one). */
  def: Record<string, unknown>[];
  doc: string;
}
export type Field = NumField | BoolField | EnumField | StrField | ObjField | ArrField;

const num = (def: number, min: number, max: number, unit: string, doc: string, int = false): NumField => ({
  t: 'num', def, min, max, unit, doc, int,
});
const bool = (def: boolean, doc: string): BoolField => ({ t: 'bool', def, doc });
const oneOf = (def: string, options: readonly string[], doc: string): EnumField => ({ t: 'enum', def, options, doc });

const host = (name: string, speed: number): ObjField => ({
  t: 'obj',
  fields: {
    name: { t: 'str', def: name, maxLength: 40, doc: 'Host name shown in the UI' },
    speed: num(speed, 0.05, 8, '× host F', 'CPU speed relative to Hu et al. host F (i3-2120, 3.3 GHz)'),
    cores: num(2, 1, 128, 'cores', 'Physical CPU cores', true),
    capacityMiB: num(65536, 16, 4194304, 'MiB', 'Memory the host can give the VM'),
    nicMbps: num(0, 0, 400000, 'Mbit/s', 'Network interface shared by all streams leaving the host (0 = its fastest link)'),
  },
});
const link = (): ObjField => ({
  t: 'obj',
  fields: {
    bandwidthMbps: num(1000, 1, 400000, 'Mbit/s', 'Link bandwidth'),
    latencyMs: num(0.1, 0, 1000, 'ms', 'One-way latency'),
  },
});

const PAGE_CLASS_FIELDS = ['free', 'zero', 'kernelCode', 'kernelData', 'pageCache', 'anon'] as const;
const DEFAULT_COMPOSITION = { free: 0.3, zero: 0.1, kernelCode: 0.02, kernelData: 0.08, pageCache: 0.25, anon: 0.25 };
const DEFAULT_SENSITIVE = { free: false, zero: false, kernelCode: false, kernelData: true, pageCache: false, anon: true };

export const SCENARIO_SCHEMA: ObjField = {
  t: 'obj',
  fields: {
    seed: num(1, 0, 4294967295, '', 'Seed of every random choice in the run', true),
    vm: {
      t: 'obj',
      fields: {
        memoryMiB: num(1024, 16, 524288, 'MiB', 'Guest memory', true),
        vcpus: num(1, 1, 64, 'vCPUs', 'Virtual CPUs', true),
        composition: {
          t: 'obj',
          fields: Object.fromEntries(
            PAGE_CLASS_FIELDS.map((c) => [c, num(DEFAULT_COMPOSITION[c], 0, 1, 'fraction', `Share of memory that is ${PAGE_CLASS_LABELS[c]}`)]),
          ),
          check: (v) => {
            const sum = PAGE_CLASS_FIELDS.reduce((s, c) => s + (v[c] as number), 0);
            return Math.abs(sum - 1) > 1e-6 ? `fractions must sum to 1 (they sum to ${+sum.toFixed(6)})` : null;
          },
        },
        sensitive: {
          t: 'obj',
          fields: Object.fromEntries(PAGE_CLASS_FIELDS.map((c) => [c, bool(DEFAULT_SENSITIVE[c], `Pages of ${PAGE_CLASS_LABELS[c]} hold secrets (SEmigrate encrypts them)`)])),
        },
        deviceStateKiB: num(48, 1, 65536, 'KiB', 'vCPU and device state sent at switch-over'),
        firewallRules: num(0, 0, 1_000_000, 'rules', 'Firewall rules in the VM\'s security context (Chen et al.)', true),
        firewallConnections: num(0, 0, 10_000_000, 'connections', 'Tracked connections migrated with the VM (sent in the downtime)', true),
      },
    },
    workload: {
      t: 'obj',
      fields: {
        kind: oneOf('write', ['idle', 'write', 'read', 'network', 'cpu'], 'What the guest runs'),
        workingSetMiB: num(128, 1, 524288, 'MiB', 'Memory the workload writes or reads'),
        rateMiBps: num(48, 0, 100000, 'MiB/s', 'Page-granular touches per second at speed 1'),
        hotFraction: num(1, 0.001, 1, 'fraction', 'Share of the working set that is hot'),
        fileShare: num(0, 0, 1, 'fraction', 'Share of the working set that is page-cache file data'),
        hotShare: num(1, 0, 1, 'fraction', 'Share of touches landing on the hot part'),
        backgroundDirtyPagesPerS: num(200, 0, 1e7, 'pages/s', 'Pages the guest OS dirties in the background'),
        trafficMbps: num(900, 0, 400000, 'Mbit/s', 'Network workload traffic (Netperf-like)'),
        netDirection: oneOf('receive', ['receive', 'send'], 'Network workload: VM receives or sends'),
        allocMiBps: num(0, 0, 100000, 'MiB/s', 'Fresh memory the guest allocates per second while it runs split'),
        freeRatePerS: num(0, 0, 0.5, 'fraction/s', 'Share of used memory the guest frees per second'),
        runSeconds: num(70, 1, 100000, 's', 'Workload length without migration (Kernbench on F: 69.96 s)'),
      },
    },
    source: host('F1', 1),
    destinations: { t: 'arr', of: host('host', 1), min: 1, max: 8, def: [{ name: 'F2', speed: 1 }], doc: 'Main host first, then sub hosts' },
    links: { t: 'arr', of: link(), min: 0, max: 8, def: [{}], doc: 'Link from the source to each destination' },
    pagingLink: link(),
    cipher: oneOf('aes-gcm', ['none', 'aes-gcm', '3des', 'measured'], 'Cipher protecting migration traffic'),
    measuredCipherBps: num(0, 0, 1e12, 'bytes/s', 'Cipher speed measured in this browser (cipher "measured")'),
    migration: {
      t: 'obj',
      fields: {
        algorithm: oneOf('precopy', ['stop-and-copy', 'precopy', 'postcopy', 'hybrid'], 'Migration algorithm'),
        downtimeLimitMs: num(300, 1, 100000, 'ms', 'Pre-copy stops when expected downtime falls below this'),
        maxRounds: num(30, 1, 10000, 'rounds', 'Pre-copy round cap', true),
        maxTotalS: num(1800, 1, 1e6, 's', 'Total-time cap (Hu et al. gave up after 30 min)'),
        onNoConvergence: oneOf('force', ['force', 'cancel'], 'At a cap: force stop-and-copy or cancel'),
        stopRule: oneOf('qemu', ['qemu', 'xen'], 'QEMU expected-downtime rule or Xen 29 rounds/50 pages/3× memory'),
        autoConverge: bool(false, 'Throttle the vCPUs 20 % then +10 % up to 99 % while dirtying outpaces sending'),
        prepagePages: num(0, 0, 512, 'pages', 'Post-copy pre-paging around a faulting page', true),
        hybridRounds: num(2, 1, 1000, 'rounds', 'Pre-copy rounds before a hybrid run switches to post-copy', true),
        startAtS: num(0, 0, 100000, 's', 'When migration starts after the workload starts'),
      },
    },
    split: {
      t: 'obj',
      fields: {
        skipUnused: bool(false, 'FCtrans: never send or page unused (free) memory'),
        semigrate: bool(false, 'SEmigrate: sub hosts keep ciphertext; only sensitive pages encrypted'),
        policy: oneOf('access-aware', ['access-aware', 'address-range'], 'How pages are dealt to main and sub hosts'),
        pagingSeconds: num(10, 0, 100000, 's', 'Remote paging simulated after a split migration'),
      },
    },
    dataPlane: {
      t: 'obj',
      fields: {
        framePages: num(16, 1, 64, 'pages', 'Pages per sealed record on the real hosts (1 = one cipher call per page)', true),
      },
    },
  },
};
