/**
 * Page states at any moment of a run, for animation and scrubbing. It merges the trace's time-sorted
 * streams (transfers, dirtying, skips, faults) and keeps periodic keyframes, so a jump anywhere costs a
 * keyframe copy plus at most one interval of events. Pure: the UI only draws what this returns.
 */
import { FaultKind, SendFlag, type Trace } from './trace';

/** What the destination side holds of a page, from the migration's point of view. */
export const PageState = {
  notSent: 0,
  clean: 1,
  dirty: 2,
  inFlight: 3,
  storedEncrypted: 4,
  unused: 5,
  zero: 6,
  residentElsewhere: 7,
  faulted: 8,
  /** Post-copy: the VM touched a page that had already arrived (a minor fault: mapped, no network trip). */
  touched: 9,
} as const;
export type PageStateCode = (typeof PageState)[keyof typeof PageState];

interface Keyframe {
  time: number;
  heads: Int32Array;
  phase: number;
  state: Uint8Array;
  loc: Uint8Array;
  dirtyPhase: Uint16Array;
}

const STREAMS = 4; // sends, dirties, skips, faults
/** Bytes all keyframes of one playback may take. */
export const KEYFRAME_BUDGET = 256 * 1024 * 1024;

export class Playback {
  readonly trace: Trace;
  /** PageState per page at `time`. */
  readonly state: Uint8Array;
  /** Host index (into trace.hosts) that holds each page at `time`; 0 = only the source. */
  readonly loc: Uint8Array;
  /**
   * Phase (index + 1) in which each page was last written. QEMU's dirty log is read at a round's start,
   * so a page written during round k goes again in round k+1 even if round k sent it after the write.
   */
  readonly #dirtyPhase: Uint16Array;
  #phase = 0;
  #time = -Infinity;
  #heads = new Int32Array(STREAMS);
  readonly #keyframes: Keyframe[] = [];
  /** Prefix sums: faults of each kind, and unused pages skipped, up to each event index. */
  readonly #faultPrefix: Uint32Array[];
  readonly #skipPrefix: Float64Array;

  /**
   * @param keyframes how many snapshots to keep along the run (5 bytes a page each), capped so they
   * take at most `KEYFRAME_BUDGET` bytes: a 352 GiB guest keeps none but the start, and seeking back
   * replays from there.
   */
  constructor(trace: Trace, keyframes = 32) {
    this.trace = trace;
    this.state = new Uint8Array(trace.pageCount);
    this.loc = new Uint8Array(trace.pageCount);
    this.#dirtyPhase = new Uint16Array(trace.pageCount);
    const f = trace.faults;
    this.#faultPrefix = Array.from({ length: 8 }, () => new Uint32Array(f.kind.length + 1));
    for (let i = 0; i < f.kind.length; i++) {
      for (let k = 0; k < 8; k++) this.#faultPrefix[k]![i + 1] = this.#faultPrefix[k]![i]! + (f.kind[i] === k ? 1 : 0);
    }
    this.#skipPrefix = new Float64Array(trace.skips.count.length + 1);
    for (let i = 0; i < trace.skips.count.length; i++) this.#skipPrefix[i + 1] = this.#skipPrefix[i]! + trace.skips.count[i]!;
    this.#buildKeyframes(keyframes);
    this.seek(-Infinity);
  }

  get time(): number {
    return this.#time;
  }

  get endTime(): number {
    return this.trace.endTime;
  }

  #buildKeyframes(wanted: number): void {
    const t = this.trace;
    const count = Math.max(0, Math.min(wanted, Math.floor(KEYFRAME_BUDGET / (5 * Math.max(1, t.pageCount))) - 1));
    const start = t.phases[0]?.start ?? 0;
    const span = Math.max(1e-9, t.endTime - start);
    this.#reset();
    this.#keyframes.push(this.#snapshot(-Infinity));
    for (let k = 1; k <= count; k++) {
      const at = start + (span * k) / (count + 1);
      this.#advance(at);
      this.#keyframes.push(this.#snapshot(at));
    }
  }

  /** Keyframes kept (the start included). */
  get keyframeCount(): number {
    return this.#keyframes.length;
  }

  #snapshot(time: number): Keyframe {
    return {
      time,
      heads: this.#heads.slice(),
      phase: this.#phase,
      state: this.state.slice(),
      loc: this.loc.slice(),
      dirtyPhase: this.#dirtyPhase.slice(),
    };
  }

  #reset(): void {
    this.state.fill(PageState.notSent);
    this.loc.fill(0);
    this.#dirtyPhase.fill(0);
    this.#phase = 0;
    this.#heads.fill(0);
    this.#time = -Infinity;
  }

  /** Move to time `t` (forwards cheaply; backwards via the nearest keyframe). */
  seek(t: number): void {
    if (t < this.#time) {
      let kf = this.#keyframes[0]!;
      for (const k of this.#keyframes) if (k.time <= t) kf = k;
      this.state.set(kf.state);
      this.loc.set(kf.loc);
      this.#heads.set(kf.heads);
      this.#dirtyPhase.set(kf.dirtyPhase);
      this.#phase = kf.phase;
      this.#time = kf.time;
    }
    this.#advance(t);
  }

  /** Time of the next event after the current time (Infinity at the end). */
  nextEventTime(): number {
    const { sends, dirties, skips, faults } = this.trace;
    const h = this.#heads;
    return Math.min(
      h[0]! < sends.time.length ? sends.time[h[0]!]! : Infinity,
      h[1]! < dirties.time.length ? dirties.time[h[1]!]! : Infinity,
      h[2]! < skips.time.length ? skips.time[h[2]!]! : Infinity,
      h[3]! < faults.time.length ? faults.time[h[3]!]! : Infinity,
    );
  }

  /** Index of the phase running at the current time (the last one at or before it). */
  get phaseIndex(): number {
    const phases = this.trace.phases;
    let i = 0;
    while (i < phases.length - 1 && phases[i + 1]!.start <= this.#time) i++;
    return i;
  }

  /** Faults of one kind (a FaultKind code) up to the current time. */
  faultsOfKind(kind: number): number {
    return this.#faultPrefix[kind]?.[this.#heads[3]!] ?? 0;
  }

  /** Pages in a given state (a PageState code) at the current time. */
  countState(code: number): number {
    let n = 0;
    const st = this.state;
    for (let i = 0; i < st.length; i++) if (st[i] === code) n++;
    return n;
  }

  /** Unused pages skipped (FCtrans) up to the current time. */
  get skippedSoFar(): number {
    return this.#skipPrefix[this.#heads[2]!]!;
  }

  /** Number of transfers completed by the current time (an index into `trace.sends`). */
  get sendsDone(): number {
    return this.#heads[0]!;
  }

  /** Index range of transfers completing in (time, time + window]: pages on the wire now. */
  inFlight(window: number): [number, number] {
    const times = this.trace.sends.time;
    return [this.#heads[0]!, upperBound(times, this.#time + window)];
  }

  /**
   * Faults of the last `span` seconds, per host, for drawing them larger than a cell: a post-copy network
   * fault on the destination and on the source it asks; a remote fault on the main host and on the sub
   * host that serves it. `age` runs from 0 (now) to 1 (`span` ago); at most the latest `limit` faults.
   */
  recentFaults(span: number, hostCount: number, limit = 24): { page: number; age: number }[][] {
    const out: { page: number; age: number }[][] = Array.from({ length: hostCount }, () => []);
    const t = this.#time;
    const { time, kind, host, page } = this.trace.faults;
    const from = upperBound(time, t - span);
    const to = upperBound(time, t);
    for (let k = Math.max(from, to - limit); k < to; k++) {
      const pulse = { page: page[k]!, age: (t - time[k]!) / span };
      if (kind[k] === FaultKind.network) {
        out[1]?.push(pulse);
        out[0]?.push(pulse);
      } else if (kind[k] === FaultKind.remote) {
        out[1]?.push(pulse);
        out[host[k]!]?.push(pulse);
      }
    }
    return out;
  }

  /**
   * A split migration's traffic per host now: transfers arriving at each host within the next `window`
   * (pages being dealt out), and the remote faults each host served and page-outs it took in the last
   * `window` (remote paging). Indexed by host.
   */
  trafficByHost(window: number, hostCount: number): { incoming: number; remote: number; pageOut: number }[] {
    const per = Array.from({ length: hostCount }, () => ({ incoming: 0, remote: 0, pageOut: 0 }));
    const to = this.trace.sends.to;
    const [a, b] = this.inFlight(window);
    for (let k = a; k < b; k++) per[to[k]!]!.incoming++;
    const { time, kind, host } = this.trace.faults;
    for (let k = upperBound(time, this.#time - window); k < time.length && time[k]! <= this.#time; k++) {
      if (kind[k] === FaultKind.remote) per[host[k]!]!.remote++;
      else if (kind[k] === FaultKind.pageOut) per[host[k]!]!.pageOut++;
    }
    return per;
  }

  #advance(t: number): void {
    const { sends, dirties, skips, faults } = this.trace;
    const h = this.#heads;
    const state = this.state;
    const loc = this.loc;
    const dirtyPhase = this.#dirtyPhase;
    const phases = this.trace.phases;
    for (;;) {
      // The earliest pending event among the four streams (ties: sends, dirties, skips, faults).
      let which = -1;
      let best = t;
      const ts = h[0]! < sends.time.length ? sends.time[h[0]!]! : Infinity;
      if (ts <= best) {
        best = ts;
        which = 0;
      }
      const td = h[1]! < dirties.time.length ? dirties.time[h[1]!]! : Infinity;
      if (td < best || (which < 0 && td <= best)) {
        best = td;
        which = 1;
      }
      const tk = h[2]! < skips.time.length ? skips.time[h[2]!]! : Infinity;
      if (tk < best || (which < 0 && tk <= best)) {
        best = tk;
        which = 2;
      }
      const tf = h[3]! < faults.time.length ? faults.time[h[3]!]! : Infinity;
      if (tf < best || (which < 0 && tf <= best)) {
        best = tf;
        which = 3;
      }
      if (which < 0) break;
      while (this.#phase < phases.length - 1 && phases[this.#phase]!.end < best) this.#phase++;
      const i = h[which]!++;
      if (which === 0) {
        const p = sends.page[i]!;
        const f = sends.flags[i]!;
        const to = sends.to[i]!;
        loc[p] = to;
        state[p] =
          dirtyPhase[p] === this.#phase + 1 && phases[this.#phase]!.kind === 'round'
            ? PageState.dirty
            : f & SendFlag.duplicate
            ? PageState.zero
            : f & SendFlag.encrypted && !(f & SendFlag.opened)
              ? PageState.storedEncrypted
              : PageState.clean;
      } else if (which === 1) {
        const p = dirties.page[i]!;
        dirtyPhase[p] = this.#phase + 1;
        if (state[p] !== PageState.notSent && state[p] !== PageState.unused) state[p] = PageState.dirty;
      } else if (which === 2) {
        const p = skips.page[i]!;
        state.fill(PageState.unused, p, p + skips.count[i]!);
      } else {
        const p = faults.page[i]!;
        const k = faults.kind[i]!;
        if (k === FaultKind.network || k === FaultKind.remote) state[p] = PageState.faulted;
        else if (k === FaultKind.minor) {
          if (state[p] === PageState.clean || state[p] === PageState.zero) state[p] = PageState.touched;
        }
        else if (k === FaultKind.freed) state[p] = PageState.unused;
        else if (k === FaultKind.unusedLocal) {
          state[p] = PageState.clean;
          loc[p] = 1;
        } else if (k === FaultKind.reused) state[p] = PageState.dirty;
        else if (k === FaultKind.allocated && state[p] !== PageState.notSent) state[p] = PageState.dirty;
      }
    }
    this.#time = t;
  }
}

/** First index whose value is > x in a sorted array. */
export function upperBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
