/**
 * The guest's memory activity, page by page and seeded: which pages it writes (dirties) in an interval
 * and which page it touches next. Writes are a Poisson process over the working set (hot and cold parts)
 * plus the guest OS's background dirtying of kernel data and page cache.
 */
import { touchPagesPerSecond } from './cost-model';
import type { MemoryLayout } from './memory-layout';
import { PageClass } from './page-class';
import { Rng } from './prng';
import { detExp, detLog } from './det-math';
import type { DirtyBuffer, DirtyFilter } from './dirty-buffer';
import type { Scenario } from './scenario-types';

const TABLE = 1024;
const FREE = PageClass.free;
/** The classes the guest OS rewrites in the background (kernel data and page cache), by class: the draw asks the layout's class of a candidate page (which never changes). */
const BACKGROUND = new Uint8Array(8);
BACKGROUND[PageClass.kernelData] = 1;
BACKGROUND[PageClass.pageCache] = 1;

export class Workload {
  readonly #s: Scenario;
  readonly #layout: MemoryLayout;
  readonly #rng: Rng;
  readonly #writes: boolean;
  readonly #hasBackground: boolean;
  readonly #table = new Float64Array(TABLE + 2);
  #u = new Uint32Array(0);

  constructor(s: Scenario, layout: MemoryLayout, stream = 2) {
    this.#s = s;
    this.#layout = layout;
    this.#rng = new Rng(s.seed, stream);
    this.#writes = s.workload.kind === 'write' || s.workload.kind === 'cpu' || s.workload.kind === 'network';
    this.#hasBackground = layout.classCounts.kernelData + layout.classCounts.pageCache > 0;
  }

  /** Touches (page-granular accesses) per second at CPU speed 1. */
  get touchRate(): number {
    return this.#s.workload.kind === 'idle' ? 0 : touchPagesPerSecond(this.#s);
  }

  /**
   * Every page first written in [t0, t0 + dt) while the guest runs at `speed` (× host F), into `out`
   * in the order written, skipping pages already in `mark` (and marking those taken). `filter.fn` is
   * asked about a page whose class in `filter.classes` (the run's classes now) is free only — FCtrans: a
   * write to a freed page; one it refuses is left unmarked and not taken.
   */
  dirty(t0: number, dt: number, speed: number, out: DirtyBuffer, mark: Uint8Array, filter?: { fn: DirtyFilter; classes: Uint8Array }, loopFrom = -Infinity): void {
    if (dt <= 0 || speed <= 0) return;
    const ws = this.#layout.workingSet;
    const hot = this.#layout.hotCount;
    // The program's own writes start once it has its memory (`loopFrom`, see FirstTouch).
    const w0 = Math.max(t0, loopFrom);
    const wdt = t0 + dt - w0;
    if (this.#writes && ws.length > 0 && wdt > 0) {
      const rate = this.touchRate * speed;
      const h = hot >= ws.length ? 1 : this.#s.workload.hotShare;
      this.#region(ws, 0, Math.min(hot, ws.length), rate * h, w0, wdt, out, mark, filter);
      if (hot < ws.length) this.#region(ws, hot, ws.length, rate * (1 - h), w0, wdt, out, mark, filter);
    }
    const bg = this.#s.workload.backgroundDirtyPagesPerS * speed;
    if (bg > 0 && this.#hasBackground) {
      // Sparse: a Poisson stream of writes to random kernel-data or page-cache pages.
      const n = this.#layout.pageClass.length;
      const refused = new Set<number>();
      for (let t = t0 + this.#rng.exponential(bg); t < t0 + dt; t += this.#rng.exponential(bg)) {
        firstWrite(this.#rng.intWhere(n, this.#layout.pageClass, BACKGROUND), t, out, mark, filter, refused);
      }
    }
  }

  /** Writes at `rate` per second spread uniformly over ws[from, to). */
  #region(ws: Uint32Array, from: number, to: number, rate: number, t0: number, dt: number, out: DirtyBuffer, mark: Uint8Array, filter: { fn: DirtyFilter; classes: Uint8Array } | undefined): void {
    const size = to - from;
    if (size <= 0 || rate <= 0) return;
    const expected = rate * dt;
    if (expected < size / 4) {
      // Few writes: walk the Poisson arrivals; first hit per page wins (arrivals come in time order).
      const refused = new Set<number>();
      for (let t = t0 + this.#rng.exponential(rate); t < t0 + dt; t += this.#rng.exponential(rate)) {
        firstWrite(ws[from + this.#rng.int(size)]!, t, out, mark, filter, refused);
      }
      return;
    }
    // Many writes: a page's first write is exponential with rate λ = rate/size; it is dirty when that
    // falls inside dt (probability q = 1 − e^(−λ·dt)). Given dirty, its time has the inverse CDF
    // t = −ln(1 − v·q)/λ, v uniform; a 1,025-point table of that curve, built with the deterministic
    // log, replaces a log per page.
    const lambda = rate / size;
    const q = 1 - detExp(-lambda * dt);
    const table = this.#table;
    const fn = filter?.fn;
    const cls = filter?.classes;
    for (let i = 0; i <= TABLE; i++) table[i] = -detLog(1 - (i / TABLE) * q) / lambda;
    // Raw 32-bit draws: x = w / 2^32 (what float() returns) is below q exactly when w < q·2^32 (both
    // scalings by 2^32 are exact), so only the pages that are dirty pay for the division.
    if (this.#u.length < size) this.#u = new Uint32Array(size);
    const u = this.#u;
    this.#rng.fillU32(u, size);
    const qw = q * 4294967296;
    out.reserve(size);
    const P = out.pages;
    const T = out.times;
    let n = out.n;
    if (!out.timed) {
      // No one reads the times: the same draws and the same set, a time only for FCtrans's question.
      for (let k = 0; k < size; k++) {
        const w = u[k]!;
        if (w >= qw) continue;
        const p = ws[from + k]!;
        if (mark[p]) continue;
        if (fn && cls![p] === FREE) {
          const pos = (w / 4294967296 / q) * TABLE;
          const i = pos | 0;
          if (!fn(p, t0 + table[i]! + (pos - i) * (table[i + 1]! - table[i]!))) continue;
        }
        mark[p] = 1;
        P[n++] = p;
      }
      out.n = n;
      return;
    }
    for (let k = 0; k < size; k++) {
      const w = u[k]!;
      if (w >= qw) continue;
      const p = ws[from + k]!;
      if (mark[p]) continue;
      const pos = (w / 4294967296 / q) * TABLE;
      const i = pos | 0;
      const t = t0 + table[i]! + (pos - i) * (table[i + 1]! - table[i]!);
      if (fn && cls![p] === FREE && !fn(p, t)) continue;
      mark[p] = 1;
      P[n] = p;
      T[n++] = t;
    }
    out.n = n;
  }

  /** The page the guest touches next (post-copy and remote paging). */
  touch(): number {
    const ws = this.#layout.workingSet;
    if (ws.length === 0) return this.#rng.int(this.#layout.pageCount);
    const hot = this.#layout.hotCount;
    if (hot >= ws.length || this.#rng.float() < this.#s.workload.hotShare) return ws[this.#rng.int(Math.min(hot, ws.length))]!;
    return ws[hot + this.#rng.int(ws.length - hot)]!;
  }

  /** Seconds until the next touch at the given speed (exponential gaps). */
  nextTouchGap(speed: number): number {
    const r = this.touchRate * speed;
    return r > 0 ? this.#rng.exponential(r) : Infinity;
  }
}

/**
 * A write at `t` to page `p` in a stream of writes in time order, where the first write to a page in the
 * stream decides: a page marked (taken now or before) is skipped, a free page FCtrans's filter refuses
 * is remembered in `refused` and skipped after, any other page is taken. (A set of every page seen would
 * do the same; only the refused ones need one.)
 */
function firstWrite(p: number, t: number, out: DirtyBuffer, mark: Uint8Array, filter: { fn: DirtyFilter; classes: Uint8Array } | undefined, refused: Set<number>): void {
  if (mark[p]) return;
  if (filter && filter.classes[p] === FREE) {
    if (refused.has(p) || !filter.fn(p, t)) {
      refused.add(p);
      return;
    }
  }
  out.take(p, t, mark);
}
