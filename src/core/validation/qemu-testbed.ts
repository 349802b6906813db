/**
 * The measured runs' testbed, and the mapping from a measured run to a scenario, written once. The
 * testbed (qemu-7.2/README.md): QEMU 7.2 under TCG (no KVM), a 1-vCPU 256 MiB Linux guest, source and
 * destination QEMU on one 2-core machine, migrating over TCP on 127.0.0.1.
 *
 * QEMU's own behaviour (the throttle, its lifting, the syncs, the threshold, post-copy) is not here: it
 * is the model's, and nothing in it is fitted. What is here are the testbed's properties. Each says
 * where it comes from; the fitted ones name the runs that fix them.
 */
import type { ScenarioInput } from '../scenario-types';
import type { MeasuredRun } from './measured-run';

export const TCG_TESTBED = {
  memoryMiB: 256,
  /**
   * The idle guest's memory: 45,200 of 65,536 pages are zero (every idle run reports 45,234–45,304
   * `duplicate` pages); the other 20,600 are kernel text and data and page cache. The benchmark's
   * working set is taken from the zero pages.
   */
  zeroShare: 45_200 / 65_536,
  /** Of the non-zero rest, by kind (a model split: only zero against non-zero shows in QEMU's counters). */
  nonZero: { kernelCode: 0.03, kernelData: 0.12, pageCache: 0.1603 },
  /** Pages the guest OS dirties per second: QEMU's dirty-pages-rate in the idle run idle-1 (idle-2: 1,109). */
  backgroundDirtyPagesPerS: 776,
  /** The benchmark at rate=0: "about 2.4 million writes/s under TCG" (README). */
  maxOpsPerS: 2.4e6,
  /**
   * When the benchmark starts, after migrate is issued, and how fast it first writes each page of its
   * working set. Fitted: the unthrottled runs (0.5–1.6 s long) send the working set as zero pages and
   * dirty only ~1,500 pages more than an idle guest, so the program had not begun when they ended; the
   * throttled ones find most of a 64 MiB working set already written when the scan reaches it (~12,000
   * pages fewer zero pages) and a 128 MiB one written within the first 2.3 s (read-128-2's dirty rate).
   */
  programStartS: 1.2,
  firstTouchPagesPerS: 15_000,
  /**
   * Host threads a busy TCG guest keeps busy: its vCPU thread and QEMU's main loop, which serves the
   * guest's timers and exits under TCG. Fitted: with the guest busy, the unthrottled runs move a page
   * every ~43 µs against ~23 µs when it is idle (write-64-20k-unc-* against idle-unc-*).
   */
  busyGuestThreads: 2,
  cores: 2,
  /**
   * Loopback: there is no wire, the kernel copies (socketNsPerByte) are the transfer; the "link" is the
   * schema's fastest; a round trip is tens of microseconds. Socket buffers grow to Linux's maxima over
   * loopback: 4 MiB send (tcp_wmem) + 6 MiB receive (tcp_rmem).
   */
  link: { bandwidthMbps: 400_000, latencyMs: 0.01, bufferMiB: 10 },
  cpu: {
    /**
     * Fitted to the idle unthrottled runs (idle-unc-1, -2): 20,600 normal and 45,250 zero pages in
     * 0.5 s — ~23 µs per normal page (with the socket copy) and ~0.26 µs per zero page. The throttled
     * runs' downtime (5–12 ms to write ~7.5 MB once the throttle is lifted) shows the sending side is
     * the fast one, ~3 µs a page: so it is the receiving QEMU that spends ~21 µs.
     */
    sendPageUs: 1.6,
    recvPageUs: 21.5,
    zeroPageUs: 0.26,
    /** Loopback TCP on this kind of machine: 2.8 µs per 4 KiB sent and received (measured here). */
    socketNsPerByte: 0.34,
    /**
     * Per TLS record on each end (GnuTLS framing, one system call per record; QEMU writes a record per
     * page and one per page header). Fitted to the idle unthrottled run with TLS that the issue reports
     * (0.76 s measured; 0.80 s with this figure); the write runs with TLS then follow.
     */
    tlsRecordUs: 7,
    /** Stopping the vCPU and the last sync: QEMU's measured post-copy downtime is 1–2 ms. */
    pauseMs: 1,
  },
  /** AES-128-GCM with AES-NI on this kind of machine: OpenSSL, 16 KiB blocks, one core, 6.57 GB/s (measured here). */
  aesBytesPerS: 6.57e9,
  /** A run not finished after 90 s (60 s for rate=0 pre-copy) was cancelled (README). */
  timeoutS: (run: Pick<MeasuredRun, 'rate' | 'mode'>): number => (run.mode === 'autoconverge' ? 120 : run.rate === 0 && run.mode === 'precopy' ? 60 : 90),
} as const;

/**
 * The two measured series on this testbed differ in how the guest starts, nothing else (README of each):
 * - `v1` (qemu-7.2/): `migrate` 8 s after QEMU starts; the guest boots in 5–8 s under TCG, so its
 *   program usually starts writing during the migration: the fitted start and first-touch rate above.
 * - `v2` (qemu-7.2-v2/): `migrate` 2 s after the program reports `ready`, having written one word into
 *   every page of its working set: the working set is non-zero data from the start and the program
 *   runs at its rate throughout; nothing about the start is fitted. Idle zero pages: 45,250 of 65,536
 *   in 256 MiB, 109,650 of 131,072 in 512 MiB (README).
 */
export const SERIES: Record<'v1' | 'v2', Series> = {
  v1: {
    name: 'qemu-7.2 (uncontrolled start)',
    controlledStart: false,
    idleZeroPages: { 256: 45_200 } as Record<number, number>,
    backgroundDirtyPagesPerS: TCG_TESTBED.backgroundDirtyPagesPerS,
    /** v1's own fit (its figures above): they carry the boot that ran beside its migrations. */
    fitted: { recvPageUs: TCG_TESTBED.cpu.recvPageUs, busyGuestThreads: TCG_TESTBED.busyGuestThreads },
  },
  /**
   * Background dirtying of the booted idle guest, measured, not fitted: idle-1 and idle-2 send 20,529
   * and 20,527 normal pages for 20,286 non-zero ones in 2.32 s: 104–105 pages/s re-sent (v1's 776/s
   * carried the boot).
   */
  v2: {
    name: 'qemu-7.2-v2 (controlled start)',
    controlledStart: true,
    idleZeroPages: { 256: 45_250, 512: 109_650 } as Record<number, number>,
    backgroundDirtyPagesPerS: 105,
    /**
     * Fitted to all 24 runs by `npm run validate -- --cv` (fit.ts): the receiving QEMU spends 11.3 µs a
     * normal page, and a busy guest takes no migration thread's core (with the boot gone, v1's 2 threads
     * were the boot). Leaving each cell out gives 11.2–13.1 µs and 0 threads every time.
     */
    fitted: { recvPageUs: 11.28, busyGuestThreads: 0 },
  },
};

/** The testbed figures a fit may change (the rest are measured or QEMU's own): see `fit.ts`. */
export interface FittedFigures {
  recvPageUs: number;
  busyGuestThreads: number;
}
/** A testbed series: the shipped two, or one described by the user's testbed file (testbed-file.ts). */
export interface Series {
  name: string;
  controlledStart: boolean;
  /** Zero pages of the idle guest, by guest memory (MiB). */
  idleZeroPages: Readonly<Record<number, number>>;
  backgroundDirtyPagesPerS: number;
  fitted: FittedFigures;
  /** Cores of the machine both QEMUs ran on (the shipped series: TCG_TESTBED.cores). */
  cores?: number;
}

/** The scenario a measured run describes, on the series it was measured in. */
export function scenarioForRun(run: MeasuredRun, seed = 1, series: Series = SERIES.v1, fitted: Partial<FittedFigures> = {}): ScenarioInput {
  const tb = TCG_TESTBED;
  const nz = tb.nonZero;
  const mem = run.mem;
  // The idle guest's zero share at this memory size (the other pages are kernel and page cache; a
  // bigger guest adds zero pages, not kernel), then the working set, written before migrate in v2.
  const idleZero = series.idleZeroPages[mem] ?? Math.max(0, (mem * 256) - (65_536 - (series.idleZeroPages[256] ?? 45_200)));
  const pages = mem * 256;
  const nonZeroIdle = (pages - idleZero) / pages;
  const scale = nonZeroIdle / (nz.kernelCode + nz.kernelData + nz.pageCache + Math.max(0, 1 - tb.zeroShare - nz.kernelCode - nz.kernelData - nz.pageCache));
  const base = { kernelCode: nz.kernelCode * scale, kernelData: nz.kernelData * scale, pageCache: nz.pageCache * scale };
  const written = series.controlledStart && run.wl !== 'idle' ? Math.min(idleZero / pages, run.ws / mem) : 0;
  const anon = Math.max(0, nonZeroIdle - base.kernelCode - base.kernelData - base.pageCache) + written;
  const zero = Math.max(0, 1 - base.kernelCode - base.kernelData - base.pageCache - anon);
  const host = (name: string) => ({ name, speed: 1, cores: series.cores ?? tb.cores, capacityMiB: 65536 });
  const busy = run.wl !== 'idle';
  const firstTouch = busy && !series.controlledStart;
  return {
    seed,
    vm: { memoryMiB: mem, vcpus: 1, composition: { free: 0, zero, ...base, anon } },
    workload: {
      kind: run.wl,
      workingSetMiB: Math.max(1, run.ws),
      touchesPerS: run.rate > 0 ? run.rate : tb.maxOpsPerS,
      backgroundDirtyPagesPerS: series.backgroundDirtyPagesPerS,
      firstTouchPagesPerS: firstTouch ? tb.firstTouchPagesPerS : 0,
      programStartS: firstTouch ? tb.programStartS : 0,
      cpuThreads: busy ? (fitted.busyGuestThreads ?? series.fitted.busyGuestThreads) : 0,
      hotFraction: 1,
      hotShare: 1,
    },
    source: host('source'),
    destinations: [{ ...host('destination'), colocated: true }],
    links: [tb.link],
    cipher: run.tls ? 'measured' : 'none',
    measuredCipherBps: run.tls ? tb.aesBytesPerS : 0,
    transport: 'tls',
    cpu: { ...tb.cpu, recvPageUs: fitted.recvPageUs ?? series.fitted.recvPageUs },
    migration: {
      // QEMU's postcopy here: pre-copy until dirty-sync-count ≥ 2 (one round), then migrate-start-postcopy.
      algorithm: run.mode === 'postcopy' ? 'hybrid' : 'precopy',
      autoConverge: run.mode === 'autoconverge',
      channels: run.channels,
      hybridRounds: 1,
      postcopyPreempt: false,
      maxBandwidthMiBps: run.bw,
      downtimeLimitMs: run.downtimeLimitMs,
      maxRounds: 10000,
      maxTotalS: tb.timeoutS(run),
      onNoConvergence: 'cancel',
    },
  };
}
