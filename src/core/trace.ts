/**
 * The run's record, for animation, scrubbing, the host workers and tests. Columnar typed arrays, each
 * stream sorted by time, plus one small object per phase (round, stop-and-copy, post-copy, paging).
 */
import { Column } from './columns';

/** Flags on a page transfer. */
export const SendFlag = {
  /** Uniform page: only a header travels. */
  duplicate: 1,
  /** Sealed with the session cipher. */
  encrypted: 2,
  /** Sent because the destination asked for it (a fault). */
  requested: 4,
  /** Sent around a faulting page (pre-paging). */
  prepaged: 8,
  /** Sent while the VM was paused. */
  downtime: 16,
  /** Remote paging between main and sub host (not from the source). */
  paging: 32,
  /** The receiver decrypted the page on arrival (SEmigrate sub hosts never do). */
  opened: 64,
} as const;

/** Kinds of fault/paging events. */
export const FaultKind = {
  /** Post-copy: the page had not arrived; the VM waited for a round trip. */
  network: 0,
  /** Post-copy: first touch of a page that had arrived; mapped locally. */
  minor: 1,
  /** Split migration: the page was on a sub host; remote page-in. */
  remote: 2,
  /** Split migration: the main host evicted a cold page to a sub host. */
  pageOut: 3,
  /** FCtrans: the page was unused; served at once with no transfer. */
  unusedLocal: 4,
  /** FCtrans: the guest freed the page; it will not be sent or paged. */
  freed: 5,
  /** A freed page was allocated and written again; it must travel again. */
  reused: 6,
  /** The program touched the page for the first time: a zero page until now, it holds data and travels again. */
  allocated: 7,
} as const;
export type FaultKindCode = (typeof FaultKind)[keyof typeof FaultKind];

export type PhaseKind = 'setup' | 'round' | 'stop-copy' | 'postcopy' | 'paging';

export interface Phase {
  kind: PhaseKind;
  /** Round number for `round` phases (1 = the full first pass), else 0. */
  round: number;
  start: number;
  end: number;
  /** Pages sent in the phase (normal + duplicate). */
  pages: number;
  bytes: number;
  /** Pages dirtied while the phase ran (they go again next round). */
  dirtied: number;
  /** Pages skipped as unused (FCtrans). */
  skipped: number;
  /** expected-downtime computed at the end of this round, s (pre-copy rounds only). */
  expectedDowntime?: number;
  /** Auto-converge throttle in force, 0–0.99. */
  throttle: number;
  /** Index ranges into the event streams covered by this phase. */
  sends: [number, number];
  dirties: [number, number];
}

export interface Trace {
  pageCount: number;
  /** Host names: source first, then destinations (main host, sub hosts). */
  hosts: string[];
  /** PageClass per page at the start. */
  pageClass: Uint8Array;
  /** Destination index that receives each page (0 = main host). */
  owner: Uint8Array;
  /** Class each page takes at its first touch by a still-allocating program (null: none is). */
  touchClass: Uint8Array | null;
  phases: Phase[];
  /** Time the VM paused and resumed (the downtime window). */
  pauseAt: number;
  resumeAt: number;
  /** Page transfers: the time each completes, and to which host (index into `hosts`). */
  sends: { page: Uint32Array; time: Float64Array; from: Uint8Array; to: Uint8Array; flags: Uint8Array };
  /** First write of a page in a round (it becomes dirty). */
  dirties: { page: Uint32Array; time: Float64Array };
  /** Pages an FCtrans sweep passed over: runs of `count` pages from `page` at `time`. */
  skips: { page: Uint32Array; count: Uint32Array; time: Float64Array };
  /** Faults and paging events: `host` is the host that served or received the page. */
  faults: { page: Uint32Array; time: Float64Array; kind: Uint8Array; host: Uint8Array };
  endTime: number;
}

export class TraceBuilder {
  readonly sends: {
    page: Column<Uint32Array>;
    time: Column<Float64Array>;
    from: Column<Uint8Array>;
    to: Column<Uint8Array>;
    flags: Column<Uint8Array>;
  };

  /** Whether the page-level columns keep what is written (false: a headless run). */
  readonly keep: boolean;

  /**
   * @param expectedSends sizes the transfer columns up front (a run sends every page at least once).
   * @param keep false for a headless run that needs only metrics and phases: the page-level columns
   *   keep nothing (a non-converging 1 GiB run writes 11 million events that no one would read).
   */
  constructor(expectedSends = 1 << 16, keep = true) {
    this.keep = keep;
    // Sized for a typical run up front (growth copies), capped so a huge VM does not reserve gigabytes.
    const n = Math.min(1 << 22, Math.max(1024, expectedSends));
    const m = Math.min(1 << 20, Math.max(1024, expectedSends >> 2));
    this.dirties = { page: new Column<Uint32Array>(Uint32Array, m, keep), time: new Column<Float64Array>(Float64Array, m, keep) };
    this.sends = {
      page: new Column<Uint32Array>(Uint32Array, n, keep),
      time: new Column<Float64Array>(Float64Array, n, keep),
      from: new Column<Uint8Array>(Uint8Array, n, keep),
      to: new Column<Uint8Array>(Uint8Array, n, keep),
      flags: new Column<Uint8Array>(Uint8Array, n, keep),
    };
    this.skips = {
      page: new Column<Uint32Array>(Uint32Array, 1024, keep),
      count: new Column<Uint32Array>(Uint32Array, 1024, keep),
      time: new Column<Float64Array>(Float64Array, 1024, keep),
    };
    this.faults = {
      page: new Column<Uint32Array>(Uint32Array, 1024, keep),
      time: new Column<Float64Array>(Float64Array, 1024, keep),
      kind: new Column<Uint8Array>(Uint8Array, 1024, keep),
      host: new Column<Uint8Array>(Uint8Array, 1024, keep),
    };
  }
  readonly dirties: { page: Column<Uint32Array>; time: Column<Float64Array> };
  readonly skips: { page: Column<Uint32Array>; count: Column<Uint32Array>; time: Column<Float64Array> };
  readonly faults: { page: Column<Uint32Array>; time: Column<Float64Array>; kind: Column<Uint8Array>; host: Column<Uint8Array> };
  readonly phases: Phase[] = [];

  /**
   * Room for `count` transfers written straight into the columns from index `at` (the hot loops write
   * typed arrays directly); call `commitSends(count)` after.
   */
  reserveSends(count: number): { at: number; page: Uint32Array; time: Float64Array; from: Uint8Array; to: Uint8Array; flags: Uint8Array } {
    const s = this.sends;
    return {
      at: s.page.length,
      page: s.page.reserve(count),
      time: s.time.reserve(count),
      from: s.from.reserve(count),
      to: s.to.reserve(count),
      flags: s.flags.reserve(count),
    };
  }

  /** Transfers recorded so far, kept or not (a headless run counts what it does not keep). */
  sent = 0;

  commitSends(count: number): void {
    this.sent += count;
    const s = this.sends;
    for (const c of [s.page, s.time, s.from, s.to, s.flags]) c.commit(count);
  }

  send(page: number, time: number, from: number, to: number, flags: number): void {
    this.sent++;
    this.sends.page.push(page);
    this.sends.time.push(time);
    this.sends.from.push(from);
    this.sends.to.push(to);
    this.sends.flags.push(flags);
  }

  skip(page: number, count: number, time: number): void {
    this.skips.page.push(page);
    this.skips.count.push(count);
    this.skips.time.push(time);
  }

  fault(page: number, time: number, kind: FaultKindCode, host: number): void {
    this.faults.page.push(page);
    this.faults.time.push(time);
    this.faults.kind.push(kind);
    this.faults.host.push(host);
  }

  finish(base: Omit<Trace, 'sends' | 'dirties' | 'skips' | 'faults' | 'phases'>): Trace {
    const { sends: S, dirties: D, skips: K, faults: F } = this;
    return {
      ...base,
      phases: this.phases,
      sends: { page: S.page.finish(), time: S.time.finish(), from: S.from.finish(), to: S.to.finish(), flags: S.flags.finish() },
      dirties: { page: D.page.finish(), time: D.time.finish() },
      skips: { page: K.page.finish(), count: K.count.finish(), time: K.time.finish() },
      faults: { page: F.page.finish(), time: F.time.finish(), kind: F.kind.finish(), host: F.host.finish() },
    };
  }
}
