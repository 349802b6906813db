/**
 * Shared mechanics of every algorithm: the clock, per-page state, sending a list of pages over the
 * parallel source→destination streams, collecting what the guest dirties meanwhile, and accounting
 * CPU and bytes. Algorithms (pre-copy, post-copy, …) are sequences of these steps.
 */
import { maxMinShare, phaseRates, sourceNicBps, type PhaseRates, type VmPlace } from './cost-model';
import { buildLayout, type MemoryLayout } from './memory-layout';
import { PageClass, PAGE_CLASSES } from './page-class';
import { partitionPages } from './partition';
import type { Scenario } from './scenario-types';
import { SendFlag, TraceBuilder } from './trace';
import { DUPLICATE_PAGE_WIRE_BYTES, NORMAL_PAGE_WIRE_BYTES } from './units';
import { Workload } from './workload';

// Module-local copies: the hot loops must not go through import bindings (getters under some loaders).
const ZERO = PageClass.zero;
const FREE = PageClass.free;
const FLAG_DUP = SendFlag.duplicate;
const FLAG_ENC = SendFlag.encrypted;
const FLAG_OPENED = SendFlag.opened;

export interface CpuTally {
  /** Core-seconds spent sealing/opening and running the guest. */
  cipher: number;
  workload: number;
  /** Pages sealed and opened. */
  seals: number;
  opens: number;
}

export class RunContext {
  readonly s: Scenario;
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
  /** Per-class lookups for the hot loops. */
  readonly encByClass = new Uint8Array(8);
  readonly wireByClass = new Float64Array(8);
  readonly flagsByClass = new Uint8Array(8);
  /** Whether each destination opens what it receives (SEmigrate: sub hosts never do). */
  readonly decByDest = new Uint8Array(8);

  /** Wire bytes of the pages the last `collectDirty` returned. */
  lastDirtyBytes = 0;
  /** Virtual time now, s. */
  now = 0;
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
  #dirtyPages = new Uint32Array(1024);
  #dirtyTimes = new Float64Array(1024);

  constructor(s: Scenario) {
    this.s = s;
    this.layout = buildLayout(s);
    this.pageCount = this.layout.pageCount;
    this.trace = new TraceBuilder(Math.ceil(this.pageCount * 1.25));
    this.cls = this.layout.pageClass.slice();
    this.workload = new Workload(s, this.layout);
    this.destCount = s.destinations.length;
    this.owner = partitionPages(s, this.layout);
    this.encrypting = s.cipher !== 'none';
    this.skipUnused = s.split.skipUnused;
    this.cpu = Array.from({ length: this.destCount + 1 }, () => ({ cipher: 0, workload: 0, seals: 0, opens: 0 }));
    this.bytesPerDest = new Array<number>(this.destCount).fill(0);
    this.pagesPerDest = new Array<number>(this.destCount).fill(0);
    this.busyUntil = new Array<number>(this.destCount).fill(0);
    PAGE_CLASSES.forEach((name, c) => {
      const enc = this.encrypting && (!s.split.semigrate || s.vm.sensitive[name]);
      this.encByClass[c] = enc ? 1 : 0;
      this.wireByClass[c] = c === ZERO ? DUPLICATE_PAGE_WIRE_BYTES : NORMAL_PAGE_WIRE_BYTES;
      this.flagsByClass[c] = (c === ZERO ? FLAG_DUP : 0) | (enc ? FLAG_ENC : 0);
    });
    for (let d = 0; d < this.destCount; d++) this.decByDest[d] = s.split.semigrate && d > 0 ? 0 : 1;
  }

  isEncrypted(cls: number): boolean {
    return this.encByClass[cls] === 1;
  }

  decryptsOnReceipt(dest: number): boolean {
    return this.decByDest[dest] === 1;
  }

  isUnused(page: number): boolean {
    return this.skipUnused && this.cls[page] === FREE;
  }

  wireBytes(page: number): number {
    return this.wireByClass[this.cls[page]!]!;
  }

  /** Rates for a phase in which `pages` will be sent, with the encrypted fractions they imply. */
  ratesFor(pages: Uint32Array, count: number, vmOn: VmPlace, throttle: number): PhaseRates {
    const total = new Float64Array(this.destCount);
    const enc = new Float64Array(this.destCount);
    // A full pass: a destination with only a few pages in the list must still count as active.
    const owner = this.owner;
    const cls = this.cls;
    const wire = this.wireByClass;
    const encOf = this.encByClass;
    if (this.destCount === 1) {
      // One destination: a tally of classes is all the fractions need.
      const tally = new Float64Array(8);
      for (let k = 0; k < count; k++) tally[cls[pages[k]!]!]!++;
      for (let c = 0; c < 8; c++) {
        total[0]! += tally[c]! * wire[c]!;
        if (encOf[c]) enc[0]! += tally[c]! * wire[c]!;
      }
    } else for (let k = 0; k < count; k++) {
      const p = pages[k]!;
      const d = owner[p]!;
      const c = cls[p]!;
      const b = wire[c]!;
      total[d]! += b;
      if (encOf[c]) enc[d]! += b;
    }
    const active = Array.from(total, (b) => b > 0);
    const encFraction = Array.from(total, (b, d) => (b > 0 ? enc[d]! / b : 0));
    const decFraction = encFraction.map((f, d) => (this.decByDest[d] ? f : 0));
    return phaseRates(this.s, { vmOn, active, encFraction, decFraction, throttle });
  }

  /**
   * Send `pages[0..count)` from `t0` over each owner's stream (in parallel across destinations, in
   * list order within one). Records every transfer, accounts CPU and bytes; returns the end time.
   */
  sendList(pages: Uint32Array, count: number, t0: number, vmOn: VmPlace, throttle: number, flags = 0, known?: PhaseRates): number {
    if (count === 0) return t0;
    const rates = known ?? this.ratesFor(pages, count, vmOn, throttle);
    if (this.destCount === 1) return this.#sendSingle(pages, count, t0, vmOn, rates, flags);
    return this.#sendSplit(pages, count, t0, vmOn, rates, flags);
  }

  /** One destination: times, counters and trace columns in a single pass. */
  #sendSingle(pages: Uint32Array, count: number, t0: number, vmOn: VmPlace, rates: PhaseRates, extra: number): number {
    const { at, page: P, time: T, from: F, to: D, flags: G } = this.trace.reserveSends(count);
    const cls = this.cls;
    const wire = this.wireByClass;
    const encOf = this.encByClass;
    const flagsOf = this.flagsByClass;
    const opened = this.decByDest[0] ? FLAG_OPENED : 0;
    const secondsPerByte = 1 / rates.streamBps[0]!;
    let clock = t0 + this.s.links[0]!.latencyMs / 1000;
    let bytes = 0;
    let duplicates = 0;
    let sealed = 0;
    for (let k = 0; k < count; k++) {
      const p = pages[k]!;
      const c = cls[p]!;
      const b = wire[c]!;
      bytes += b;
      clock += b * secondsPerByte;
      const j = at + k;
      P[j] = p;
      T[j] = clock;
      D[j] = 1;
      const f = flagsOf[c]!;
      G[j] = extra | f | (f & FLAG_ENC ? opened : 0);
      if (c === ZERO) duplicates++;
      sealed += encOf[c]!;
    }
    F.fill(0, at, at + count);
    this.trace.commitSends(count);
    this.bytes += bytes;
    this.bytesPerDest[0]! += bytes;
    this.pagesPerDest[0]! += count;
    this.duplicatePages += duplicates;
    this.normalPages += count - duplicates;
    this.cpu[0]!.seals += sealed;
    if (opened) this.cpu[1]!.opens += sealed;
    this.busyUntil[0] = clock;
    this.account(clock - t0, rates, vmOn);
    return clock;
  }

  /**
   * Several destinations: the streams run in parallel but share the source's network interface
   * (max-min fair: a stream capped lower by its link or cipher leaves the rest to the others, and a
   * stream that finishes frees its share). Transfers are written in time order by merging the
   * streams as they are timed, without per-page scratch arrays (a 352 GB VM is 92 M pages).
   */
  #sendSplit(pages: Uint32Array, count: number, t0: number, vmOn: VmPlace, rates: PhaseRates, extra: number): number {
    const n = this.destCount;
    const cls = this.cls;
    const owner = this.owner;
    const wire = this.wireByClass;
    const encOf = this.encByClass;
    const flagsOf = this.flagsByClass;
    const sizes = new Uint32Array(n);
    const total = new Float64Array(n);
    for (let k = 0; k < count; k++) {
      const p = pages[k]!;
      const d = owner[p]!;
      sizes[d]!++;
      total[d]! += wire[cls[p]!]!;
    }
    const lists = Array.from(sizes, (size) => new Uint32Array(size));
    const fill = new Uint32Array(n);
    for (let k = 0; k < count; k++) {
      const p = pages[k]!;
      const d = owner[p]!;
      lists[d]![fill[d]!++] = p;
    }
    // Epochs: between two stream completions every active stream has a constant rate.
    const nicBps = sourceNicBps(this.s);
    const segStart: number[][] = Array.from({ length: n }, () => []);
    const segRate: number[][] = Array.from({ length: n }, () => []);
    const segBytes: number[][] = Array.from({ length: n }, () => []);
    const left = Float64Array.from(total);
    const doneAt = new Float64Array(n);
    let t = 0;
    for (;;) {
      const active: number[] = [];
      for (let d = 0; d < n; d++) if (left[d]! > 0) active.push(d);
      if (active.length === 0) break;
      const share = maxMinShare(active.map((d) => rates.streamBps[d]!), nicBps);
      let dt = Infinity;
      active.forEach((d, i) => (dt = Math.min(dt, left[d]! / share[i]!)));
      active.forEach((d, i) => {
        segStart[d]!.push(t);
        segRate[d]!.push(share[i]!);
        segBytes[d]!.push(total[d]! - left[d]!);
        // The stream(s) that set dt finish exactly (no float crumbs left to run another epoch).
        if (left[d]! / share[i]! <= dt * (1 + 1e-12)) {
          left[d] = 0;
          doneAt[d] = t + dt;
        } else left[d] = left[d]! - share[i]! * dt;
      });
      t += dt;
    }
    const latency = this.s.links.map((l) => l.latencyMs / 1000);
    // Merge: each stream's next completion time, computed from its segments as it goes.
    const head = new Uint32Array(n);
    const cum = new Float64Array(n);
    const seg = new Uint32Array(n);
    const next = new Float64Array(n).fill(Infinity);
    // First page of each stream: its bytes at the first epoch's rate.
    for (let d = 0; d < n; d++) if (sizes[d]! > 0) next[d] = t0 + latency[d]! + wire[cls[lists[d]![0]!]!]! / segRate[d]![0]!;
    const { at, page: P, time: T, from: F, to: D, flags: G } = this.trace.reserveSends(count);
    F.fill(0, at, at + count);
    let duplicates = 0;
    const dec = this.decByDest;
    const sealedBy = new Float64Array(n);
    for (let j = at; j < at + count; j++) {
      let d = 0;
      let best = next[0]!;
      for (let e = 1; e < n; e++) {
        if (next[e]! < best) {
          best = next[e]!;
          d = e;
        }
      }
      const list = lists[d]!;
      const h = head[d]!;
      const p = list[h]!;
      const c = cls[p]!;
      const f = flagsOf[c]!;
      P[j] = p;
      T[j] = best;
      D[j] = d + 1;
      G[j] = extra | f | (f & FLAG_ENC && dec[d] ? FLAG_OPENED : 0);
      if (c === ZERO) duplicates++;
      sealedBy[d]! += encOf[c]!;
      cum[d]! += wire[c]!;
      head[d] = h + 1;
      if (h + 1 < list.length) {
        // Time of the next page of this stream: find its epoch segment, then interpolate.
        const bytes = cum[d]! + wire[cls[list[h + 1]!]!]!;
        const starts = segStart[d]!;
        const b0 = segBytes[d]!;
        let sIdx = seg[d]!;
        while (sIdx + 1 < starts.length && b0[sIdx + 1]! < bytes) sIdx++;
        seg[d] = sIdx;
        next[d] = t0 + latency[d]! + starts[sIdx]! + (bytes - b0[sIdx]!) / segRate[d]![sIdx]!;
      } else next[d] = Infinity;
    }
    for (let d = 0; d < n; d++) {
      this.cpu[0]!.seals += sealedBy[d]!;
      if (dec[d]) this.cpu[d + 1]!.opens += sealedBy[d]!;
    }
    this.trace.commitSends(count);
    let end = t0;
    for (let d = 0; d < n; d++) {
      this.bytes += total[d]!;
      this.bytesPerDest[d]! += total[d]!;
      this.pagesPerDest[d]! += sizes[d]!;
      if (sizes[d]! > 0) {
        const finish = t0 + latency[d]! + doneAt[d]!;
        this.busyUntil[d] = finish;
        end = Math.max(end, finish);
      }
    }
    this.duplicatePages += duplicates;
    this.normalPages += count - duplicates;
    this.account(end - t0, rates, vmOn);
    return end;
  }

  /** Account core-seconds and the guest's progress for a phase of `dt` seconds. */
  account(dt: number, rates: PhaseRates, vmOn: VmPlace): void {
    if (dt <= 0) return;
    this.cpu[0]!.cipher += rates.sourceCores.cipher * dt;
    this.cpu[0]!.workload += rates.sourceCores.workload * dt;
    rates.destCores.forEach((c, d) => {
      this.cpu[d + 1]!.cipher += c.cipher * dt;
      this.cpu[d + 1]!.workload += c.workload * dt;
    });
    if (vmOn !== 'none') this.work += rates.workloadSpeed * dt;
  }

  /**
   * Pages the guest dirties in [t0, t1) at `speed`: recorded in the trace in time order and returned
   * de-duplicated. `mark` is a zeroed scratch array of pageCount bytes (left zeroed on return).
   */
  collectDirty(t0: number, t1: number, speed: number, mark: Uint8Array, onDirty?: (p: number, t: number) => boolean): Uint32Array {
    let n = 0;
    this.workload.dirty(t0, t1 - t0, speed, (p, t) => {
      if (mark[p] || (onDirty && !onDirty(p, t))) return;
      mark[p] = 1;
      if (n === this.#dirtyPages.length) {
        const pg = new Uint32Array(n * 2);
        pg.set(this.#dirtyPages);
        this.#dirtyPages = pg;
        const tm = new Float64Array(n * 2);
        tm.set(this.#dirtyTimes);
        this.#dirtyTimes = tm;
      }
      this.#dirtyPages[n] = p;
      this.#dirtyTimes[n++] = t;
    });
    const pages = this.#dirtyPages;
    const times = this.#dirtyTimes;
    // Counting sort by time bin; a recorded time is its bin's midpoint, so the stream is exactly sorted.
    const bins = Math.max(1, Math.min(4096, n));
    const span = t1 - t0 || 1;
    const binOf = new Uint32Array(n);
    const start = new Uint32Array(bins + 1);
    for (let k = 0; k < n; k++) {
      const b = Math.min(bins - 1, Math.floor(((times[k]! - t0) / span) * bins));
      binOf[k] = b;
      start[b + 1]!++;
    }
    for (let b = 0; b < bins; b++) start[b + 1]! += start[b]!;
    const out = new Uint32Array(n);
    const fill = start.slice(0, bins);
    for (let k = 0; k < n; k++) out[fill[binOf[k]!]!++] = pages[k]!;
    const dirties = this.trace.dirties;
    const at = dirties.page.length;
    const dp = dirties.page.reserve(n);
    const dt = dirties.time.reserve(n);
    for (let b = 0, k = 0; b < bins; b++) {
      const t = t0 + ((b + 0.5) / bins) * span;
      for (; k < start[b + 1]!; k++) {
        dp[at + k] = out[k]!;
        dt[at + k] = t;
      }
    }
    dirties.page.commit(n);
    dirties.time.commit(n);
    let pending = 0;
    const wire = this.wireByClass;
    const cls = this.cls;
    for (let k = 0; k < n; k++) {
      const p = out[k]!;
      mark[p] = 0;
      pending += wire[cls[p]!]!;
    }
    this.lastDirtyBytes = pending;
    return out;
  }
}

