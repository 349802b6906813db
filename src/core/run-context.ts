/**
 * Shared mechanics of every algorithm: the clock, per-page state, sending a list of pages through each
 * destination's stream (timed by the resolved cost model), collecting what the guest dirties meanwhile,
 * and accounting CPU and bytes. Algorithms (pre-copy, post-copy, …) are sequences of these steps.
 */
import { BANDWIDTH_WINDOW_S, resolveCostModel, type CostModel } from './cost-model';
import { binByTime } from './dirty-sort';
import { FirstTouch } from './first-touch';
import { addClassCounts } from './histogram';
import { buildLayout, type MemoryLayout } from './memory-layout';
import { PageClass } from './page-class';
import { partitionPages } from './partition';
import { phaseRates, type PhaseRates, type VmPlace } from './phase-rates';
import { Pipe } from './pipe';
import { opensOnReceipt } from './protection';
import { RateWindow } from './rate-window';
import type { Scenario } from './scenario-types';
import { sendSingle } from './single-send';
import { DirtyBuffer, type DirtyFilter } from './dirty-buffer';
import { sendSplit } from './split-send';
import { FaultKind, SendFlag, TraceBuilder } from './trace';
import { Workload } from './workload';

// Module-local copies: the hot loops must not go through import bindings (getters under some loaders).
const ZERO = PageClass.zero;
const FREE = PageClass.free;
const FLAG_DUP = SendFlag.duplicate;
const FLAG_ENC = SendFlag.encrypted;

export interface CpuTally {
  /** Core-seconds spent sealing/opening, moving pages, and running the guest. */
  cipher: number;
  copy: number;
  workload: number;
  /** Pages sealed and opened. */
  seals: number;
  opens: number;
}

export interface SendOptions {
  /** Flags added to every transfer (downtime, requested, …). */
  flags?: number;
  /**
   * QEMU's pending check during a round: once (pages left × 4 KiB) falls below bandwidth × this limit,
   * the round stops and the dirty log is synced. Omitted: the whole list goes.
   */
  downtimeLimitS?: number;
  /**
   * How often the check runs: once per iteration of QEMU's loop, which sends for at most 50 ms
   * (MAX_WAIT) or, throttled, until the 100 ms window's byte budget is spent.
   */
  checkEveryS?: number;
}

export interface SendResult {
  /** Pages of the list sent (the rest are left for the next round). */
  sent: number;
  /** When the source wrote its last page (its clock: syncs and QEMU's downtime are timed by it). */
  sourceEnd: number;
  /** When the last page arrived. */
  end: number;
  /** QEMU's bandwidth estimate at the end, bytes/s. */
  bandwidth: number;
}

export class RunContext {
  readonly s: Scenario;
  readonly cost: CostModel;
  readonly layout: MemoryLayout;
  readonly workload: Workload;
  readonly trace: TraceBuilder;
  /** PageClass per page, updated as the guest frees and reuses memory. */
  readonly cls: Uint8Array;
  /** Destination index owning each page. */
  readonly owner: Uint8Array;
  readonly pageCount: number;
  readonly destCount: number;
  readonly encrypting: boolean;
  readonly skipUnused: boolean;
  /** Per source (index 0) and destination (1…). */
  readonly cpu: CpuTally[];
  readonly flagsByClass = new Uint8Array(8);
  /** Whether each destination opens what it receives (SEmigrate: sub hosts never do). */
  readonly opens: boolean[];
  /** One stream per destination, with its socket buffers. */
  readonly pipes: Pipe[];
  /** What the source wrote lately: QEMU's bandwidth estimate. */
  readonly window = new RateWindow(BANDWIDTH_WINDOW_S);
  /** A program still allocating its memory, or null. */
  readonly firstTouch: FirstTouch | null;
  /** When the guest's program starts (its writes and first touches begin). */
  readonly programStart: number;

  /** Wire bytes of the pages the last `collectDirty` returned. */
  lastDirtyBytes = 0;
  /** Virtual time now, s. */
  now = 0;
  /** Bytes QEMU counts in `transferred` (RAM pages only). */
  bytes = 0;
  normalPages = 0;
  duplicatePages = 0;
  skippedPages = 0;
  /** Work done by the guest, in host-F-seconds. */
  work = 0;
  stall = 0;
  readonly bytesPerDest: number[];
  readonly pagesPerDest: number[];
  readonly busyUntil: number[];
  readonly #dirty = new DirtyBuffer();

  /** @param trace false: keep no page-level events (metrics and phases only), for headless sweeps. */
  constructor(s: Scenario, trace = true) {
    this.s = s;
    this.cost = resolveCostModel(s);
    this.layout = buildLayout(s);
    this.pageCount = this.layout.pageCount;
    this.trace = new TraceBuilder(Math.ceil(this.pageCount * 1.25), trace);
    this.cls = this.layout.pageClass.slice();
    this.workload = new Workload(s, this.layout);
    this.destCount = s.destinations.length;
    this.owner = partitionPages(s, this.layout);
    this.encrypting = this.cost.encrypting;
    this.skipUnused = s.split.skipUnused;
    this.cpu = Array.from({ length: this.destCount + 1 }, () => ({ cipher: 0, copy: 0, workload: 0, seals: 0, opens: 0 }));
    this.bytesPerDest = new Array<number>(this.destCount).fill(0);
    this.pagesPerDest = new Array<number>(this.destCount).fill(0);
    this.busyUntil = new Array<number>(this.destCount).fill(0);
    this.opens = s.destinations.map((_, d) => opensOnReceipt(s, d + 1));
    this.pipes = this.cost.links.map((l) => new Pipe(l.bufferBytes, l.latencyS));
    /** When the guest's program starts: the migration's start plus its delay. */
    this.programStart = s.migration.startAtS + s.workload.programStartS;
    this.firstTouch = this.layout.touchClass ? new FirstTouch(this.layout, s.workload.firstTouchPagesPerS, this.programStart) : null;
    for (let c = 0; c < 8; c++) this.flagsByClass[c] = (c === ZERO ? FLAG_DUP : 0) | (this.cost.perClass.sealed[c] ? FLAG_ENC : 0);
  }

  isEncrypted(cls: number): boolean {
    return this.cost.perClass.sealed[cls] === 1;
  }

  decryptsOnReceipt(dest: number): boolean {
    return this.opens[dest] === true;
  }

  isUnused(page: number): boolean {
    return this.skipUnused && this.cls[page] === FREE;
  }

  /** Bytes QEMU counts for this page now (9 for a zero page, 4,104 otherwise). */
  wireBytes(page: number): number {
    return this.cost.perClass.pageBytes[this.cls[page]!]!;
  }

  /** Pages of each class per destination in a list. */
  mixOf(pages: Uint32Array, count: number): Float64Array[] {
    const mix = Array.from({ length: this.destCount }, () => new Float64Array(8));
    const cls = this.cls;
    if (this.destCount === 1) addClassCounts(pages, count, cls, mix[0]!);
    else {
      const owner = this.owner;
      for (let k = 0; k < count; k++) {
        const p = pages[k]!;
        mix[owner[p]!]![cls[p]!]!++;
      }
    }
    return mix;
  }

  /** Rates for a phase in which `pages` will be sent. */
  ratesFor(pages: Uint32Array, count: number, vmOn: VmPlace, opts: { throttled?: boolean; cpuThrottle?: number } = {}): PhaseRates {
    return this.ratesForMix(this.mixOf(pages, count), vmOn, opts);
  }

  ratesForMix(mix: Float64Array[], vmOn: VmPlace, opts: { throttled?: boolean; cpuThrottle?: number } = {}): PhaseRates {
    const w = this.s.workload;
    const network = w.kind === 'network' && vmOn !== 'none';
    return phaseRates(this.cost, {
      vmOn,
      mix,
      opens: this.opens,
      throttled: opts.throttled ?? false,
      cpuThrottle: opts.cpuThrottle ?? 0,
      // A greedy network workload shares the link direction migration uses (TCP fair share at worst).
      contention: network
        ? {
            bytesPerSecond: (w.trafficMbps * 1e6) / 8,
            onLink: this.s.destinations.map((_, i) => (vmOn === 'source' && w.netDirection === 'send') || (vmOn === 'main' && i === 0 && w.netDirection === 'receive')),
          }
        : undefined,
    });
  }

  /**
   * Send `pages[0..count)` from `t0`: one stream per destination (in parallel across destinations, in
   * list order within one). Records every transfer, accounts CPU and bytes.
   */
  send(pages: Uint32Array, count: number, t0: number, vmOn: VmPlace, rates: PhaseRates, opts: SendOptions = {}): SendResult {
    if (count === 0) return { sent: 0, sourceEnd: t0, end: t0, bandwidth: this.window.rate(t0) };
    if (this.destCount > 1) {
      const { end, bytes } = sendSplit(this, pages, count, t0, rates, opts.flags ?? 0);
      this.account(end - t0, rates, vmOn);
      return { sent: count, sourceEnd: end, end, bandwidth: end > t0 ? bytes / (end - t0) : 0 };
    }
    return sendSingle(this, pages, count, t0, vmOn, rates, opts);
  }

  /** Account core-seconds and the guest's progress for a phase of `dt` seconds. */
  account(dt: number, rates: PhaseRates, vmOn: VmPlace): void {
    if (dt <= 0) return;
    rates.cores.forEach((c, h) => {
      const tally = this.cpu[h];
      if (!tally) return;
      tally.cipher += c.cipher * dt;
      tally.copy += c.copy * dt;
      tally.workload += c.workload * dt;
    });
    if (vmOn !== 'none') this.work += rates.workloadSpeed * dt;
  }

  /** Scratch for counting a dirty set's pages by class. */
  readonly #classCounts = new Float64Array(8);

  /**
   * Pages the guest dirties in [t0, t1) at `speed`: recorded in the trace in time order and returned
   * de-duplicated. `mark` is a zeroed scratch array of pageCount bytes (left zeroed on return).
   */
  collectDirty(t0: number, t1: number, speed: number, mark: Uint8Array, onDirty?: DirtyFilter): Uint32Array {
    const buf = this.#dirty;
    buf.n = 0;
    buf.timed = this.trace.keep;
    const ft = this.firstTouch;
    ft?.advance(t1, (p, t, c) => {
      this.cls[p] = c;
      this.trace.fault(p, t, FaultKind.allocated, 0);
      buf.take(p, t, mark);
    });
    this.workload.dirty(t0, t1 - t0, speed, buf, mark, onDirty && { fn: onDirty, classes: this.cls }, Math.max(this.programStart, ft ? (ft.done ? ft.doneAt : Infinity) : -Infinity));
    const n = buf.n;
    if (!this.trace.keep) {
      // Nothing keeps the write stream, and every caller orders the set by address: no sort by time.
      const set = buf.pages.slice(0, n);
      this.lastDirtyBytes = this.#unmark(set, mark);
      return set;
    }
    // Counting sort by time bin; a recorded time is its bin's midpoint, so the stream is exactly sorted.
    const bins = Math.max(1, Math.min(4096, n));
    const span = t1 - t0 || 1;
    const { order, start } = binByTime(buf.pages, buf.times, n, t0, t1, bins);
    const dirties = this.trace.dirties;
    const at = dirties.page.length;
    const dp = dirties.page.reserve(n);
    const dt = dirties.time.reserve(n);
    dp.set(order, at);
    // A bin holds a handful of pages (4,096 bins a round): a loop, not a call to fill per bin.
    let k = at;
    for (let b = 0; b < bins; b++) {
      const e = at + start[b + 1]!;
      if (k === e) continue;
      const mid = t0 + ((b + 0.5) / bins) * span;
      while (k < e) dt[k++] = mid;
    }
    dirties.page.commit(n);
    dirties.time.commit(n);
    // The same set in the order it was drawn (near address order): clearing its marks reads memory
    // in sequence rather than at random.
    this.lastDirtyBytes = this.#unmark(buf.pages.subarray(0, n), mark);
    return order;
  }

  /** Clear `pages` from `mark`; returns their bytes on the wire (integers: exact in any order). */
  #unmark(pages: Uint32Array, mark: Uint8Array): number {
    for (let k = 0; k < pages.length; k++) mark[pages[k]!] = 0;
    const counts = this.#classCounts.fill(0);
    addClassCounts(pages, pages.length, this.cls, counts);
    const pageBytes = this.cost.perClass.pageBytes;
    let pending = 0;
    for (let c = 0; c < pageBytes.length; c++) pending += counts[c]! * pageBytes[c]!;
    return pending;
  }
}

/** The workload's CPU share when it runs alone on the source (the baseline for progress). */
export function uncontendedShare(ctx: RunContext): number {
  const demand = ctx.cost.workloadCores;
  const cores = ctx.cost.machines[0]!;
  return demand > cores ? cores / demand : 1;
}
