/**
 * Every scenario field with its default, unit, allowed range, human label and meaning, in one table.
 * The resolver, the URL codec, the scenario form and the types (`Infer`) all read it, so a range,
 * an option or a label is written once. Each default says where it comes from.
 */
import { PAGE_CLASSES, PAGE_CLASS_LABELS } from './page-class';
import { arr, bool, fieldPerKey, int, num, obj, oneOf, str, type Infer } from './schema-fields';

export * from './schema-fields';

/** Every attack the security lab can mount on the real hosts, with its name. */
export const ATTACK_LABELS = {
  none: 'no attacker',
  tamper: 'flip a bit (tampering)',
  replay: 'replay an old record',
  reorder: 'swap two records (reordering)',
  drop: 'drop a record (resume before completion)',
  'splice-migration': 'splice a record from another migration',
  'splice-channel': 'splice a record onto another channel',
  'downgrade-clear': 'downgrade: strip encryption',
  'downgrade-cipher': 'downgrade: switch to 3DES mid-stream',
  impersonate: 'impersonate the destination host',
  'wrong-key': 'swap the key exchange (man in the middle)',
  'forge-commit': 'forge the commit',
  'drop-commit': 'drop the commit',
  'delay-commit': 'delay the commit',
  'forge-abort': 'forge an abort',
  'tamper-request': 'tamper with a post-copy page request',
  'link-reset': 'reset the link during post-copy',
  'subhost-read': 'untrusted sub host reads what it stores',
  'subhost-swap': 'untrusted sub host swaps two stored pages',
  'subhost-rollback': 'untrusted sub host returns an old page',
  'tamper-unused': 'tamper with the unused-page list (FCtrans)',
  'tamper-context': 'tamper with the firewall state (security context)',
  'tamper-metadata': 'tamper with protection metadata',
  flood: 'flood the destination with bad records',
  'nonce-reuse': 'reuse a nonce (teaching mode)',
} as const;
export type AttackId = keyof typeof ATTACK_LABELS;

const host = (name: string, speed: number, role: string) =>
  obj(
    {
      name: str(name, 40, { label: 'Name', doc: 'Shown on the stage and in traces.' }),
      speed: num(speed, 0.05, 8, '× host F', {
        label: 'CPU speed',
        doc: 'Relative to Hu et al.’s fast host F (Intel i3-2120, 3.3 GHz) = 1. Their slow host S is 0.55 (Kernbench: 69.96 s on F, 127.39 s on S).',
        level: 'basic',
      }),
      cipherSpeed: num(0, 0, 8, '× host F', {
        label: 'Cipher speed',
        doc: 'How fast this host runs the cipher relative to host F (0: its CPU speed). Table-driven AES and 3DES run at about the clock ratio on pre-AES-NI Intel cores, so Hu et al.’s S (2.6 GHz against F’s 3.3 GHz) is 0.79, though it compiles a kernel at 0.55.',
      }),
      cores: int(2, 1, 128, 'cores', { label: 'CPU cores', doc: 'Physical cores the hypervisor, its migration threads and the guest share (Hu et al.: dual-core).' }),
      capacityMiB: num(65536, 16, 4194304, 'MiB', { label: 'Memory for the VM', doc: 'Memory this host can give the VM (split migration deals pages up to it).' }),
      nicMbps: num(0, 0, 400000, 'Mbit/s', { label: 'Network interface', doc: 'Shared by every stream leaving the host (0 = as fast as its fastest link).' }),
      colocated: bool(false, {
        label: 'Same machine as the source',
        doc: 'A loopback migration: this host runs on the source’s machine and shares its cores (the QEMU validation testbed).',
      }),
    },
    { label: role, doc: `The ${role.toLowerCase()}.` },
  );

const link = (label: string) =>
  obj(
    {
      bandwidthMbps: num(1000, 1, 400000, 'Mbit/s', { label: 'Bandwidth', doc: 'Physical link capacity (Hu et al.: Gigabit Ethernet).', level: 'basic' }),
      latencyMs: num(0.1, 0, 1000, 'ms', { label: 'One-way latency', doc: 'Time for a byte to cross the link (0.1 ms: one switch in a LAN).' }),
      bufferMiB: num(0.5, 0, 1024, 'MiB', {
        label: 'Socket buffers',
        doc: 'Bytes that can wait between sender and receiver. On a LAN Linux’s autotuning keeps them near a few hundred KiB (about twice what the path holds); over loopback they grow to the maxima, 4 MiB send (tcp_wmem) + 6 MiB receive (tcp_rmem). A page request waits behind them in post-copy.',
      }),
    },
    { label, doc: label },
  );

const DEFAULT_COMPOSITION = { free: 0.3, zero: 0.1, kernelCode: 0.02, kernelData: 0.08, pageCache: 0.25, anon: 0.25 } as const;
const DEFAULT_SENSITIVE = { free: false, zero: false, kernelCode: false, kernelData: true, pageCache: false, anon: true } as const;

export const SCENARIO_SCHEMA = obj(
  {
    seed: int(1, 0, 4294967295, '', { label: 'Seed', doc: 'Seed of every random choice in the run: the same seed gives the same run.' }),
    vm: obj(
      {
        memoryMiB: int(1024, 16, 524288, 'MiB', { label: 'Guest memory', doc: 'Memory of the virtual machine (Hu et al.: 1 GB).', level: 'basic' }),
        vcpus: int(1, 1, 64, 'vCPUs', { label: 'Virtual CPUs', doc: 'Virtual CPUs of the guest.' }),
        composition: obj(
          fieldPerKey(PAGE_CLASSES, (c) => num(DEFAULT_COMPOSITION[c], 0, 1, 'fraction', { label: PAGE_CLASS_LABELS[c], doc: `Share of memory that is ${PAGE_CLASS_LABELS[c]}.` })),
          { label: 'What memory holds', doc: 'Shares of guest memory by kind; they must sum to 1.' },
          (v) => {
            const sum = PAGE_CLASSES.reduce((s, c) => s + (v[c] as number), 0);
            return Math.abs(sum - 1) > 1e-6 ? `fractions must sum to 1 (they sum to ${+sum.toFixed(6)})` : null;
          },
        ),
        sensitive: obj(
          fieldPerKey(PAGE_CLASSES, (c) => bool(DEFAULT_SENSITIVE[c], { label: PAGE_CLASS_LABELS[c], doc: `Pages of ${PAGE_CLASS_LABELS[c]} hold secrets (SEmigrate encrypts only these).` })),
          { label: 'Which memory is sensitive', doc: 'Guest-OS analysis marks these kinds as secret.' },
        ),
        deviceStateKiB: num(48, 1, 65536, 'KiB', { label: 'CPU and device state', doc: 'vCPU registers and device state sent while the VM is paused.' }),
        firewallRules: int(0, 0, 1_000_000, 'rules', { label: 'Firewall rules', doc: 'Rules of the VM’s security context (Chen et al.), sent before the first page.' }),
        firewallConnections: int(0, 0, 10_000_000, 'connections', { label: 'Tracked connections', doc: 'Live connections of the stateful firewall, sent while the VM is paused (Chen et al.).' }),
      },
      { label: 'Virtual machine', doc: 'The guest being moved.' },
    ),
    workload: obj(
      {
        kind: oneOf('write', { idle: 'idle', write: 'memory writes', read: 'memory reads', network: 'network (Netperf)', cpu: 'CPU (Kernbench)' }, {
          label: 'What the guest runs',
          doc: 'Hu et al.’s workloads: a write- or read-intensive memory benchmark, Netperf, Kernbench; or nothing.',
          level: 'basic',
        }),
        workingSetMiB: num(128, 1, 524288, 'MiB', { label: 'Memory the program uses', doc: 'The working set it writes or reads (Hu et al.: 64–768 MB).', level: 'basic' }),
        touchesPerS: num(12288, 0, 1e8, 'pages/s', {
          label: 'Guest writes (or reads) per second',
          doc: 'Random page-sized writes (reads for a read workload) per second on host F. 12,288/s is 48 MiB/s.',
          level: 'basic',
        }),
        firstTouchPagesPerS: num(0, 0, 1e8, 'pages/s', {
          label: 'Program still allocating',
          doc: 'A program that has just started first writes each page of its memory once (the kernel hands it a zeroed page) at this rate on host F, then runs its loop. 0: its memory is already in place when migration starts.',
        }),
        cpuThreads: num(0, 0, 256, 'threads', {
          label: 'Busy guest threads on the host',
          doc: 'Host threads the running guest keeps busy (0: the model’s figure — idle 0.05, a memory benchmark 1, Netperf 1.5, Kernbench every vCPU). They share the host’s cores with the migration threads.',
        }),
        programStartS: num(0, 0, 100000, 's', {
          label: 'Program starts after',
          doc: 'The guest program starts this long after the migration does (0: it is already running). Before that the guest is idle.',
        }),
        hotFraction: num(1, 0.001, 1, 'fraction', { label: 'Hot part of the working set', doc: 'Share of the working set that is hot.' }),
        hotShare: num(1, 0, 1, 'fraction', { label: 'Touches on the hot part', doc: 'Share of writes or reads that land on the hot part.' }),
        fileShare: num(0, 0, 1, 'fraction', { label: 'File data in the working set', doc: 'Share of the working set that is page-cache file data (the rest is the program’s own memory).' }),
        backgroundDirtyPagesPerS: num(200, 0, 1e7, 'pages/s', { label: 'Pages the guest OS dirties per second', doc: 'Kernel data and page cache the OS rewrites in the background.' }),
        trafficMbps: num(900, 0, 400000, 'Mbit/s', { label: 'Network traffic', doc: 'Traffic of a network workload (Netperf ~900 Mbit/s on Hu et al.’s LAN).' }),
        netDirection: oneOf('receive', { receive: 'VM receives', send: 'VM sends' }, { label: 'Traffic direction', doc: 'Whether the network workload receives or sends.' }),
        allocMiBps: num(0, 0, 100000, 'MiB/s', { label: 'Fresh memory allocated per second', doc: 'After a split migration: allocations touch unused pages.' }),
        freeRatePerS: num(0, 0, 0.5, 'fraction/s', { label: 'Memory freed per second', doc: 'Share of used memory the guest frees per second (FCtrans reclaims it).' }),
        runSeconds: num(70, 1, 100000, 's', { label: 'Workload length', doc: 'Length of the workload without migration (Kernbench on F: 69.96 s).' }),
      },
      { label: 'Workload', doc: 'What the guest does while it migrates.' },
    ),
    source: host('F1', 1, 'Source host'),
    destinations: arr(host('host', 1, 'Destination host'), 1, 8, [{ name: 'F2', speed: 1 }], {
      label: 'Destination hosts',
      doc: 'The main host first, then any sub hosts (split migration).',
    }),
    links: arr(link('Link to a destination'), 0, 8, [{}], { label: 'Links', doc: 'The link from the source to each destination; missing entries copy the first.' }),
    pagingLink: link('Remote-paging link'),
    cipher: oneOf('aes-gcm', { none: 'none (cleartext)', 'aes-gcm': 'AES', '3des': '3DES-class', measured: 'measured in this browser' }, {
      label: 'Encryption',
      doc: 'The cipher protecting migration traffic: AES, the slow 3DES-class cipher of Hu et al., or this browser’s measured AES speed.',
      level: 'basic',
    }),
    hypervisor: oneOf(
      'qemu-7.2',
      {
        'qemu-7.2': 'QEMU 7.2',
        'qemu-kvm-0.12': 'qemu-kvm 0.12.3 (Hu et al., 2013)',
        xen: 'Xen 3.x (Zhang & Chen; Chen et al.)',
        'kvm-split': 'KVM split migration (FCtrans, SEmigrate)',
      },
      {
        label: 'Hypervisor',
        doc: 'Whose migration mechanisms run. QEMU 7.2 is validated against measured runs. qemu-kvm 0.12.3, Hu et al.’s, estimated its bandwidth from the time spent queueing pages and counted every page, zero or not, as 4 KiB: its expected downtime was far below the real one; its SSH tunnel ran on each end. Xen stops after 29 iterations, below 50 pages or past 3× memory, and suspends and resumes the guest. The split-migration prototypes extend QEMU-KVM.',
      },
    ),
    transport: oneOf('ssh-tunnel', { 'ssh-tunnel': 'SSH tunnel', tls: 'QEMU TLS' }, {
      label: 'Where encryption runs',
      doc: 'An SSH tunnel (Hu et al.’s testbed, the default) seals in its own process beside the hypervisor; QEMU’s own TLS seals in the migration thread on each end.',
    }),
    measuredCipherBps: num(0, 0, 1e12, 'bytes/s', { label: 'Measured cipher speed', doc: 'This browser’s AES-GCM speed (cipher "measured").' }),
    cpu: obj(
      {
        sendPageUs: num(0.6, 0, 10000, 'µs', {
          label: 'CPU to send a page',
          doc: 'Source migration thread, per 4 KiB page on host F (model figure): dirty-bitmap work, header, a share of one system call per 32 KiB buffer. With the socket copy, ~1 µs a page: one thread moves ~4 GB/s, so a 1 Gbit/s link stays the bottleneck of every Hu et al. run.',
        }),
        recvPageUs: num(0.6, 0, 10000, 'µs', { label: 'CPU to receive a page', doc: 'Destination thread, per page: parse, place into guest memory.' }),
        zeroPageUs: num(0.3, 0, 1000, 'µs', { label: 'CPU to find a zero page', doc: 'Scanning 4 KiB for a non-zero byte at ~14 GB/s (QEMU’s buffer_is_zero).' }),
        socketNsPerByte: num(0.1, 0, 1000, 'ns/byte', { label: 'Socket CPU per byte', doc: 'Kernel copy into or out of a socket, on each end (~10 GB/s, a 2012 core’s memory copy).' }),
        tlsRecordUs: num(1, 0, 10000, 'µs', { label: 'CPU per TLS record', doc: 'Framing and the system call of one TLS record, on each end (QEMU writes a record per page and per page header).' }),
        pauseMs: num(2, 0, 10000, 'ms', { label: 'Pause and final sync', doc: 'Stopping the vCPUs and reading the dirty log one last time.' }),
      },
      { label: 'CPU costs of the migration stream', doc: 'Per-page and per-byte work of the hypervisor on host F; each host’s speed divides them.' },
    ),
    migration: obj(
      {
        algorithm: oneOf('precopy', { 'stop-and-copy': 'stop-and-copy', precopy: 'pre-copy', postcopy: 'post-copy', hybrid: 'pre-copy, then post-copy' }, {
          label: 'Migration algorithm',
          doc: 'Pre-copy sends memory in rounds while the VM runs; post-copy moves the VM first and fetches pages on demand.',
          level: 'basic',
        }),
        maxBandwidthMiBps: num(0, 0, 1e6, 'MiB/s', {
          label: 'Bandwidth limit (max-bandwidth)',
          doc: 'QEMU’s throttle on the live rounds (its default is 128 MiB/s; 0 = none, as Hu et al. ran at link speed). QEMU lifts it for the paused stage and for post-copy.',
          level: 'basic',
        }),
        downtimeLimitMs: num(300, 1, 100000, 'ms', { label: 'Downtime limit', doc: 'Pre-copy stops the VM once it expects the rest to take less than this (QEMU default 300 ms).', level: 'basic' }),
        channels: int(1, 1, 16, 'channels', {
          label: 'Parallel channels (multifd)',
          doc: 'QEMU’s multifd-channels: per-page and cipher work divide over channels, up to the cores; the link does not.',
        }),
        maxRounds: int(30, 1, 10000, 'rounds', { label: 'Round cap', doc: 'Pre-copy gives up after this many rounds (a model cap; QEMU has none).' }),
        maxTotalS: num(1800, 1, 1e6, 's', { label: 'Time cap', doc: 'Pre-copy gives up after this long (Hu et al. stopped at 30 minutes).' }),
        onNoConvergence: oneOf('force', { force: 'force stop-and-copy', cancel: 'cancel' }, { label: 'At a cap', doc: 'Force the paused stage anyway, or cancel and keep the VM on the source.' }),
        stopRule: oneOf('qemu', { qemu: 'QEMU: expected downtime', xen: 'Xen: 29 rounds, 50 pages, 3× memory' }, { label: 'When pre-copy stops', doc: 'QEMU’s expected-downtime rule or Xen’s fixed limits.' }),
        autoConverge: bool(false, { label: 'Auto-converge', doc: 'Slow the vCPUs 20 %, then 10 % more each time, while dirtying outpaces sending.' }),
        prepagePages: int(0, 0, 512, 'pages', { label: 'Pre-paging', doc: 'Extra pages sent after each faulting page in post-copy (0 = only QEMU’s continue-from-the-fault).' }),
        postcopyPreempt: bool(false, {
          label: 'Urgent pages on their own channel',
          doc: 'Requested pages skip the queue of pushed pages (QEMU’s postcopy-preempt; Yabusame, used by Hu et al.). Off in QEMU 7.2.',
        }),
        hybridRounds: int(2, 1, 1000, 'rounds', { label: 'Pre-copy rounds before post-copy', doc: 'A hybrid run switches to post-copy after this many dirty-log syncs of pre-copy.' }),
        startAtS: num(0, 0, 100000, 's', { label: 'Migration starts at', doc: 'When migration starts after the workload starts.' }),
      },
      { label: 'Migration', doc: 'How the hypervisor migrates.' },
    ),
    split: obj(
      {
        skipUnused: bool(false, { label: 'FCtrans: skip unused memory', doc: 'Track free pages and never send or page them (Tauchi et al.).', level: 'basic' }),
        semigrate: bool(false, { label: 'SEmigrate: sub hosts keep ciphertext', doc: 'Sub hosts never decrypt; only sensitive pages are encrypted (Horio et al.).', level: 'basic' }),
        policy: oneOf('access-aware', { 'access-aware': 'access-aware', 'address-range': 'address ranges' }, { label: 'How pages are dealt', doc: 'Hot pages to the main host first, or plain address ranges (the naive baseline).' }),
        pagingSeconds: num(10, 0, 100000, 's', { label: 'Remote paging simulated', doc: 'Seconds of running across hosts after a split migration.' }),
      },
      { label: 'Split migration', doc: 'Memory dealt over a main host and sub hosts.' },
    ),
    security: obj(
      {
        policy: oneOf('required', { disabled: 'disabled', opportunistic: 'opportunistic', required: 'required' }, {
          label: 'Encrypted migration policy',
          doc: 'As VMware’s encrypted vMotion offers: disabled sends in clear; opportunistic encrypts when both hosts offer it (and can be talked out of it); required encrypts and authenticates both hosts, or refuses to move a page.',
          level: 'basic',
        }),
        attack: oneOf('none', ATTACK_LABELS, { label: 'Attacker on the link', doc: 'What an attacker between the hosts (or an untrusted sub host) does to the real hosts’ traffic.', level: 'basic' }),
        attackAt: int(3, 0, 1_000_000, 'record', { label: 'Record the attacker picks', doc: 'Counted from 0 on the first channel from the source to the main host.' }),
        defences: bool(true, { label: 'Defences on', doc: 'A teaching switch: off, the check that stops the chosen attack is skipped, to show what the attack does unopposed.' }),
        failureLimit: int(16, 1, 100_000, 'records', { label: 'Bad records tolerated', doc: 'After this many rejected records the destination aborts the migration and the VM keeps running at the source.' }),
        migrateContext: bool(true, {
          label: 'Move the firewall state',
          doc: 'The host’s firewall rules and tracked connections move with the VM (Chen et al.). Off, as a plain hypervisor does: established connections are cut at the destination.',
        }),
        canaries: int(0, 0, 100_000, 'pages', { label: 'Canary secrets', doc: 'Pages given a unique secret, then searched for on the wire.' }),
        protectedProcesses: int(0, 0, 10_000, 'processes', {
          label: 'Protected processes',
          doc: 'Processes the hypervisor shields from the guest OS (Zhang & Chen): their protection metadata must move with the VM, intact, before it resumes.',
        }),
      },
      { label: 'Security', doc: 'The policy the hosts enforce and what an attacker tries (real hosts only).' },
    ),
    dataPlane: obj(
      {
        framePages: int(16, 1, 64, 'pages', {
          label: 'Pages per sealed record',
          doc: 'Real hosts seal this many pages per record (1 = one cipher call per page, the teaching option; WebCrypto costs ~20 µs a call whatever its size).',
        }),
        channels: int(0, 0, 8, 'workers', { label: 'Channel workers per host', doc: 'Real hosts seal and open in this many workers each (0 = one per core this browser reports, at most 8).' }),
      },
      { label: 'Real hosts', doc: 'How the Web Worker hosts carry the run.' },
    ),
  },
  { label: 'Scenario', doc: 'Everything that defines a run.' },
);

export type ScenarioSchema = typeof SCENARIO_SCHEMA;
export type ScenarioShape = Infer<ScenarioSchema>;
