/**
 * The papers' findings as experiments: each a spec the experiments view runs, a caption saying what the
 * paper found and where, and — where the paper gives numbers — the paper's own figures, drawn next to
 * the model's as labelled bands. Only Hu et al. is here in full; the other papers' figures are the
 * numbers their abstracts state (see ../shared/seeds/README.md), and say so.
 */
import { PRESETS, type ExperimentSpec } from '../core/index';

export interface PaperMark {
  /** What the paper reports, as shown on the plot. */
  label: string;
  /** The band, in the metric's units (equal ends for a single value). */
  from: number;
  to: number;
  /** Drawn for this series / in this panel only (null: every one). */
  series: string | boolean | null;
  facet: string | boolean | null;
}

export interface ExperimentPreset {
  id: string;
  title: string;
  paper: string;
  /** What the paper found, from which table or figure. */
  finding: string;
  /** What the plot shows, and how to read it. */
  shows: string;
  spec: ExperimentSpec;
  marks: PaperMark[];
}

const presetInput = (id: string): Record<string, unknown> => structuredClone((PRESETS.find((p) => p.id === id)?.input ?? {}) as Record<string, unknown>);
const HU = 'Hu et al. (full text)';
/**
 * Hu et al.'s testbed: qemu-kvm 0.12.3 with its 30 ms default downtime limit, a 1 GB VM, a
 * write-intensive guest, Gigabit Ethernet, hosts F1 and F2. `migration` adds to the testbed's.
 */
const huBase = (migration: Record<string, unknown> = {}): Record<string, unknown> => ({
  hypervisor: 'qemu-kvm-0.12',
  vm: { memoryMiB: 1024 },
  workload: { kind: 'write', touchesPerS: 12288 },
  cipher: 'aes-gcm',
  migration: { downtimeLimitMs: 30, ...migration },
});
const wsAxis = { field: 'workload.workingSetMiB', from: 64, to: 768, points: 4, scale: 'linear' } as const;
const ciphers = { field: 'cipher', values: ['none', 'aes-gcm', '3des'] };
const algorithms = { field: 'migration.algorithm', values: ['precopy', 'postcopy'] };
const hostPairs = { field: 'hostPair', values: ['F→F', 'F→S', 'S→F'] };
/** FCtrans's axis: the unused share of an 8 GiB split VM, with and without tracking it. */
const fctransSpec = (y: string): ExperimentSpec => ({
  base: { ...presetInput('fctrans-split'), split: { pagingSeconds: 2 } },
  x: { field: 'vm.composition.free', from: 0.1, to: 0.8, points: 5, scale: 'linear' },
  y,
  series: { field: 'split.skipUnused', values: [false, true] },
  facet: null,
  baseline: null,
});
/** SEmigrate's axis: the non-sensitive (file) share of the working set, naive against SEmigrate. */
const semigrateSpec = (y: string): ExperimentSpec => ({
  base: { ...presetInput('semigrate-split'), split: { pagingSeconds: 4 } },
  x: { field: 'workload.fileShare', from: 0, to: 0.9, points: 4, scale: 'linear' },
  y,
  series: { field: 'split.semigrate', values: [false, true] },
  facet: null,
  baseline: null,
});

export const EXPERIMENT_PRESETS: ExperimentPreset[] = [
  {
    id: 'hu-overhead',
    title: 'Encryption against working set, pre-copy and post-copy',
    paper: HU,
    finding: 'With 3DES, pre-copy of a write-intensive guest did not finish in 30 minutes once the working set reached 128 MB; with AES or no encryption it finished in seconds, and post-copy always finished (§IV-A, Fig. 1 and 2).',
    shows: 'Total migration time for each cipher; left pre-copy, right post-copy. Hollow marks are runs that never converged (the model forces the stop at its caps and says so).',
    spec: { base: huBase(), x: { ...wsAxis }, y: 'total-time', series: ciphers, facet: algorithms, baseline: null },
    marks: [],
  },
  {
    id: 'hu-host-pairs',
    title: 'AES overhead by host pair (post-copy)',
    paper: HU,
    finding: 'AES costs almost nothing from F1 to F2, the most from F1 to S (12–15.1 %: decryption on the slow host is slower than the link) and 2.3–10.9 % from S to F1 (encryption on S is slow) — on migration bandwidth, Fig. 2(c).',
    shows: 'Total-time overhead of AES over no encryption, for each host pair. The paper’s bands are its bandwidth overheads, the nearest figure it gives.',
    spec: { base: huBase({ algorithm: 'postcopy' }), x: { ...wsAxis }, y: 'total-time', series: hostPairs, facet: null, baseline: { field: 'cipher', value: 'none' } },
    marks: [
      { label: 'paper F→S: 12–15.1 %', from: 12, to: 15.1, series: 'F→S', facet: null },
      { label: 'paper S→F: 2.3–10.9 %', from: 2.3, to: 10.9, series: 'S→F', facet: null },
    ],
  },
  {
    id: 'hu-downtime',
    title: 'Pre-copy downtime, actual',
    paper: HU,
    finding: 'Downtime with no encryption and AES was 0.2–0.6 s and with 3DES 1–2.5 s, far above the 30 ms threshold KVM aimed for: the estimate miscounts the bytes of compressed uniform pages (Fig. 1(d)).',
    shows: 'The downtime the guest actually had, for each cipher, next to the paper’s bands. Migrascope models QEMU 7.2, whose estimate counts zero pages right, so its downtime stays near the limit where converging runs are concerned; 3DES never converges and is forced to stop with the whole dirty set.',
    spec: { base: huBase(), x: { ...wsAxis }, y: 'downtime', series: ciphers, facet: null, baseline: null },
    marks: [
      { label: 'paper, none and AES: 200–600 ms', from: 200, to: 600, series: 'aes-gcm', facet: null },
      { label: 'paper, 3DES: 1,000–2,500 ms', from: 1000, to: 2500, series: '3des', facet: null },
    ],
  },
  {
    id: 'hu-expected-downtime',
    title: 'Pre-copy downtime, expected',
    paper: HU,
    finding: 'KVM stops pre-copy when it expects the rest to take under its threshold (30 ms in the paper); the expectation was wrong by an order of magnitude (Fig. 1(d), §IV-A).',
    shows: 'The downtime pre-copy expected when it stopped, for each cipher, with the same settings as the previous preset.',
    spec: { base: huBase(), x: { ...wsAxis }, y: 'expected-downtime', series: ciphers, facet: null, baseline: null },
    marks: [{ label: 'threshold in the paper: 30 ms', from: 30, to: 30, series: null, facet: null }],
  },
  {
    id: 'hu-network-faults',
    title: 'Post-copy network faults by host pair',
    paper: HU,
    finding: 'Network page faults were most numerous from S to F1, especially with encryption: pages leave the slow host slowly while the guest runs fast on F1 (Fig. 2(e), 2(k)).',
    shows: 'Pages the destination had to request from the source, for each host pair, with AES.',
    spec: { base: huBase({ algorithm: 'postcopy' }), x: { ...wsAxis }, y: 'network-faults', series: hostPairs, facet: null, baseline: null },
    marks: [],
  },
  {
    id: 'hu-minor-faults',
    title: 'Post-copy minor faults by host pair',
    paper: HU,
    finding: 'A minor fault is a touch of a page that has already arrived; they outnumber network faults and cost far less (Fig. 2(f), 2(l)).',
    shows: 'Minor faults at the destination for each host pair, with AES.',
    spec: { base: huBase({ algorithm: 'postcopy' }), x: { ...wsAxis }, y: 'minor-faults', series: hostPairs, facet: null, baseline: null },
    marks: [],
  },
  {
    id: 'fctrans-time',
    title: 'Split migration time against unused memory',
    paper: 'FCtrans, Tauchi et al. (abstract)',
    finding: 'Tracking unused memory and never sending it made split migration up to 29× faster (abstract; no per-share figures are given).',
    shows: 'Total split-migration time of an 8 GiB VM against its unused share, with and without FCtrans.',
    spec: fctransSpec('total-time'),
    marks: [],
  },
  {
    id: 'fctrans-access',
    title: 'Memory access after split migration against unused memory',
    paper: 'FCtrans, Tauchi et al. (abstract)',
    finding: 'Remote paging that skips unused pages improved memory-access performance after migration by up to 85 % (abstract).',
    shows: 'Memory-access performance of the migrated VM (share of local speed) with and without FCtrans.',
    spec: fctransSpec('paging-performance'),
    marks: [],
  },
  {
    id: 'semigrate-cpu',
    title: 'Main-host CPU against the non-sensitive share',
    paper: 'SEmigrate, Horio et al. (abstract)',
    finding: 'Keeping pages encrypted on sub hosts and encrypting only sensitive pages cut CPU usage by 6–20 points (abstract).',
    shows: 'CPU use of the main host during encrypted remote paging, naive (sub hosts decrypt and re-encrypt) against SEmigrate, as more of the working set is non-sensitive file data.',
    spec: semigrateSpec('cpu-destination'),
    marks: [],
  },
  {
    id: 'semigrate-paging',
    title: 'Encrypted remote-paging performance against the non-sensitive share',
    paper: 'SEmigrate, Horio et al. (abstract)',
    finding: 'VM performance during encrypted remote paging improved up to 1.9× (abstract).',
    shows: 'Memory-access performance of the split VM, naive against SEmigrate. The paper’s 1.9× is a paging-bound guest: at 512,000 touches a second the model’s fault latency falls 2.05× (the findings table); at the preset’s 4,096 the gain is smaller, because fewer touches fault.',
    spec: semigrateSpec('paging-performance'),
    marks: [],
  },
  {
    id: 'multifd-channels',
    title: 'Parallel channels on a 10 Gbit/s link, with and without TLS',
    paper: 'QEMU multifd (model)',
    finding: 'A lecturer’s question: why does TLS stop mattering with four channels on a 10 Gbit/s link? With one channel the migration thread’s CPU (copying, and with TLS the cipher) is the bottleneck, not the link; channels divide that CPU over the cores, until the link is the limit again.',
    shows: 'Total migration time of a 1 GiB guest against the number of channels (QEMU’s multifd-channels), with TLS and without, on hosts with 8 cores. No paper figure: this is the model’s answer.',
    spec: {
      base: { vm: { memoryMiB: 1024 }, workload: { kind: 'write', workingSetMiB: 256, touchesPerS: 12288 }, transport: 'tls', links: [{ bandwidthMbps: 10000 }], source: { cores: 8 }, destinations: [{ cores: 8 }] },
      x: { field: 'migration.channels', from: 1, to: 8, points: 8, scale: 'linear' },
      y: 'total-time',
      series: { field: 'cipher', values: ['none', 'aes-gcm'] },
      facet: null,
      baseline: null,
    },
    marks: [],
  },
  {
    id: 'chen-context',
    title: 'Downtime against the size of the security context',
    paper: 'Chen et al. (abstract)',
    finding: 'Migrating the firewall’s rules and connections with the VM kept its connections alive and grew downtime by at most 15 % (abstract).',
    shows: 'Downtime against the number of tracked connections, with the security context migrated and without. The paper’s band is +0–15 % over the run without.',
    spec: { base: presetInput('security-context'), x: { field: 'vm.firewallConnections', from: 1000, to: 1_000_000, points: 4, scale: 'log' }, y: 'downtime', series: { field: 'security.migrateContext', values: [false, true] }, facet: null, baseline: null },
    marks: [],
  },
];

export const experimentPresetById = (id: string): ExperimentPreset | undefined => EXPERIMENT_PRESETS.find((p) => p.id === id);

