/**
 * The pages a guest dirtied in an interval, in the order the workload wrote them, each at most once:
 * a page already marked in `mark` is not taken again. Typed arrays grown ahead of a loop (`reserve`), so
 * the workload's per-page loop is stores only — it runs for every working-set page of every round.
 */
export class DirtyBuffer {
  pages = new Uint32Array(1024);
  times = new Float64Array(1024);
  n = 0;
  /** Whether anyone reads `times` (a headless run's caller only orders the set by address): false skips them. */
  timed = true;

  /** Room for `extra` more pages without a check per page. */
  reserve(extra: number): void {
    const need = this.n + extra;
    if (need <= this.pages.length) return;
    let size = this.pages.length;
    while (size < need) size *= 2;
    const p = new Uint32Array(size);
    p.set(this.pages.subarray(0, this.n));
    const t = new Float64Array(size);
    t.set(this.times.subarray(0, this.n));
    this.pages = p;
    this.times = t;
  }

  /** Take page `p`, written at `t`, unless it is marked; marks it. */
  take(p: number, t: number, mark: Uint8Array): void {
    if (mark[p]) return;
    mark[p] = 1;
    this.reserve(1);
    this.pages[this.n] = p;
    this.times[this.n++] = t;
  }
}

/** Says whether a write to a page of class free counts (FCtrans: a freed page written again); a page it refuses is not marked. Other pages always count. */
export type DirtyFilter = (page: number, time: number) => boolean;
