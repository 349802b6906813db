/**
 * The guest frees memory while it is migrated (FCtrans tracks it by introspection). A freed page is
 * unused: with FCtrans it leaves the dirty set and is not sent again. A freed page the guest then
 * allocates and writes is used again and goes as a dirty page: consistency is never traded away.
 */
import { PageClass } from '../page-class';
import { Rng } from '../prng';
import type { RunContext } from '../run-context';
import { FaultKind } from '../trace';

export class FreeTracker {
  readonly #ctx: RunContext;
  readonly #rng: Rng;
  /** Time each page was freed in the current interval. */
  readonly #freedAt = new Map<number, number>();

  constructor(ctx: RunContext) {
    this.#ctx = ctx;
    this.#rng = new Rng(ctx.s.seed, 5);
  }

  /** Free pages of used memory in [t0, t1) at the scenario's rate. */
  free(t0: number, t1: number): void {
    const ctx = this.#ctx;
    this.#freedAt.clear();
    const rate = ctx.s.workload.freeRatePerS * ctx.pageCount;
    if (rate <= 0) return;
    for (let t = t0 + this.#rng.exponential(rate); t < t1; t += this.#rng.exponential(rate)) {
      const p = this.#rng.int(ctx.pageCount);
      const c = ctx.cls[p];
      if (c !== PageClass.anon && c !== PageClass.pageCache) continue;
      ctx.cls[p] = PageClass.free;
      this.#freedAt.set(p, t);
      ctx.trace.fault(p, t, FaultKind.freed, 0);
    }
  }

  /**
   * Whether a write at `t` to page `p` dirties it. A write before the page was freed in this interval
   * is void (the data is dead); a write to a free page is a reuse: the page is used again.
   */
  write(p: number, t: number): boolean {
    const ctx = this.#ctx;
    if (ctx.cls[p] !== PageClass.free) return true;
    const freedAt = this.#freedAt.get(p);
    if (freedAt !== undefined && t < freedAt) return !ctx.skipUnused;
    ctx.cls[p] = PageClass.anon;
    ctx.trace.fault(p, t, FaultKind.reused, 0);
    return true;
  }
}

/** The guest's frees and writes over [t0, t1): the pages now dirty (FCtrans drops the ones freed since). */
export function guestFreesAndWrites(ctx: RunContext, t0: number, t1: number, speed: number, mark: Uint8Array, frees: FreeTracker): Uint32Array {
  frees.free(t0, t1);
  const dirtied = ctx.collectDirty(t0, t1, speed, mark, (p, t) => frees.write(p, t));
  if (!ctx.skipUnused) return dirtied;
  let k = 0;
  let bytes = 0;
  for (let i = 0; i < dirtied.length; i++) {
    const p = dirtied[i]!;
    if (ctx.isUnused(p)) continue;
    dirtied[k++] = p;
    bytes += ctx.wireBytes(p);
  }
  ctx.lastDirtyBytes = bytes;
  return dirtied.subarray(0, k);
}
