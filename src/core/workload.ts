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

const TABLE = 1024;
const FREE = PageClass.free;
/** The classes the guest OS rewrites in the background: kernel data and page cache. */
const BACKGROUND = new Uint8Array(8);
BACKGROUND[PageClass.kernelData] = 1;
BACKGROUND[PageClass.pageCache] = 1;
import type { Scenario } from './scenario-types';


export class Workload {
  readonly #s: Scenario;
  readonly #layout: MemoryLayout;
  readonly #rng: Rng;
  readonly #writes: boolean;
  readonly #hasBackground: boolean;
  /** Which pages the OS rewrites in the background, by page: built at the first background write (most runs' set-up need not pay a pass over memory). */
  #background: Uint8Array | null = null;
  readonly #table = new Float64Array(TABLE + 2);
  #u = new Float64Array(0);

  constructor(s: Scenario, layout: MemoryLayout, stream = 2) {
    this.#s = s;
    this.#layout = layout;
    this.#rng = new Rng(s.seed, stream);
    this.#writes = s.workload.kind === 'write' || s.workload.kind === 'cpu' || s.workload.kind === 'network';
    this.#hasBackground = layout.classCounts.kernelData + layout.classCounts.pageCache > 0;
  }

  /** The pages the OS rewrites in the background, by page (the layout's classes do not change). */
  #backgroundPages(): Uint8Array {
    if (this.#background) return this.#background;
    const layout = this.#layout;
    const bg = new Uint8Array(layout.pageCount);
    for (let p = 0; p < layout.pageCount; p++) bg[p] = BACKGROUND[layout.pageClass[p]!]!;
    return (this.#background = bg);
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
      const eligible = this.#backgroundPages();
      const seen = new Set<number>();
      for (let t = t0 + this.#rng.exponential(bg); t < t0 + dt; t += this.#rng.exponential(bg)) {
        const p = this.#rng.intWhere(n, eligible);
        if (!seen.has(p)) {
          seen.add(p);
          if (!mark[p] && (!filter || filter.classes[p] !== FREE || filter.fn(p, t))) out.take(p, t, mark);
        }
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
      const seen = new Set<number>();
      for (let t = t0 + this.#rng.exponential(rate); t < t0 + dt; t += this.#rng.exponential(rate)) {
        const p = ws[from + this.#rng.int(size)]!;
        if (!seen.has(p)) {
          seen.add(p);
          if (!mark[p] && (!filter || filter.classes[p] !== FREE || filter.fn(p, t))) out.take(p, t, mark);
        }
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
    if (this.#u.length < size) this.#u = new Float64Array(size);
    const u = this.#u;
    this.#rng.fill(u, size);
    out.reserve(size);
    const P = out.pages;
    const T = out.times;
    let n = out.n;
    if (!out.timed) {
      // No one reads the times: the same draws and the same set, a time only for FCtrans's question.
      for (let k = 0; k < size; k++) {
        const x = u[k]!;
        if (x >= q) continue;
        const p = ws[from + k]!;
        if (mark[p]) continue;
        if (fn && cls![p] === FREE) {
          const pos = (x / q) * TABLE;
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
      const x = u[k]!;
      if (x >= q) continue;
      const p = ws[from + k]!;
      if (mark[p]) continue;
      const pos = (x / q) * TABLE;
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
