/**
 * Pre-copy as KVM/QEMU does it: a full first pass, then rounds of the pages dirtied meanwhile. After
 * each round, bandwidth is measured over that round and `expected-downtime` = pending bytes ÷ that
 * bandwidth; under the limit it switches to stop-and-copy. Caps on rounds and total time end runs that
 * do not converge (forced stop-and-copy or cancel); Xen's rule and auto-converge are options.
 */
import type { RunContext } from '../run-context';
import { MiB } from '../units';
import { PageClass } from '../page-class';

const FREE = PageClass.free;
import { Rng } from '../prng';
import { FaultKind } from '../trace';

export type LiveEnd = 'converged' | 'capped' | 'cancelled' | 'handover';

export interface LiveResult {
  /** Pages still dirty when the live phase ended: they go in the downtime (or by post-copy). */
  pending: Uint32Array;
  end: LiveEnd;
  expectedDowntime: number | null;
  dirtyRate: number;
  rounds: number;
}

/** First-pass list: every page in address order, FCtrans's unused pages left out (and recorded). */
export function firstPass(ctx: RunContext): Uint32Array {
  const n = ctx.pageCount;
  const cls = ctx.cls;
  if (!ctx.skipUnused) {
    const all = new Uint32Array(n);
    for (let p = 0; p < n; p++) all[p] = p;
    return all;
  }
  let k = 0;
  for (let p = 0; p < n; p++) if (cls[p] !== FREE) k++;
  const list = new Uint32Array(k);
  k = 0;
  for (let p = 0; p < n; p++) if (cls[p] !== FREE) list[k++] = p;
  return list;
}

/** Record the unused pages a sweep from `t0` to `t1` passed over, as runs, timed by address. */
export function recordSkips(ctx: RunContext, t0: number, t1: number): number {
  if (!ctx.s.split.skipUnused) return 0;
  const n = ctx.pageCount;
  const cls = ctx.cls;
  let skipped = 0;
  for (let p = 0; p < n; ) {
    if (cls[p] !== FREE) {
      p++;
      continue;
    }
    const from = p;
    while (p < n && cls[p] === FREE) p++;
    ctx.trace.skip(from, p - from, t0 + ((t1 - t0) * from) / n);
    skipped += p - from;
  }
  ctx.skippedPages += skipped;
  return skipped;
}

/** Run live rounds; `maxRounds` below the scenario's cap is the hybrid hand-over to post-copy. */
export function precopyRounds(ctx: RunContext, handoverAfter = Infinity): LiveResult {
  const s = ctx.s;
  const m = s.migration;
  const memBytes = s.vm.memoryMiB * MiB;
  const mark = new Uint8Array(ctx.pageCount);
  const frees = new FreeTracker(ctx);
  const migrationStart = ctx.now;
  let list = firstPass(ctx);
  let throttle = 0;
  let highStreak = 0;
  let t = ctx.now;
  let expected: number | null = null;
  let dirtyRate = 0;
  for (let round = 1; ; round++) {
    const start = t;
    const sendsFrom = ctx.trace.sends.page.length;
    const dirtiesFrom = ctx.trace.dirties.page.length;
    const bytesBefore = ctx.bytes;
    const rates = ctx.ratesFor(list, list.length, 'source', throttle);
    const speed = rates.workloadSpeed;
    const end = ctx.sendList(list, list.length, t, 'source', throttle, 0, rates);
    const skipped = round === 1 ? recordSkips(ctx, start, end) : 0;
    const next = guestFreesAndWrites(ctx, start, end, speed, mark, frees);
    const roundBytes = ctx.bytes - bytesBefore;
    const dur = Math.max(end - start, 1e-9);
    const pendingBytes = ctx.lastDirtyBytes;
    const bandwidth = roundBytes / dur;
    expected = bandwidth > 0 ? pendingBytes / bandwidth : 0;
    dirtyRate = next.length / dur;
    ctx.trace.phases.push({
      kind: 'round', round, start, end, pages: list.length, bytes: roundBytes, dirtied: next.length, skipped,
      expectedDowntime: expected, throttle,
      sends: [sendsFrom, ctx.trace.sends.page.length],
      dirties: [dirtiesFrom, ctx.trace.dirties.page.length],
    });
    t = end;
    ctx.now = t;
    const done = (endKind: LiveEnd): LiveResult => ({ pending: next, end: endKind, expectedDowntime: expected, dirtyRate, rounds: round });

    if (s.migration.stopRule === 'qemu' && expected * 1000 <= m.downtimeLimitMs) return done('converged');
    if (s.migration.stopRule === 'xen') {
      if (next.length < 50) return done('converged');
      if (round >= 29 || ctx.bytes >= 3 * memBytes) return done('capped');
    }
    if (round >= handoverAfter) return done('handover');
    if (round >= m.maxRounds || t - migrationStart >= m.maxTotalS) {
      return done(m.onNoConvergence === 'cancel' ? 'cancelled' : 'capped');
    }
    if (m.autoConverge) {
      // QEMU: when the guest dirties more than half of what was sent, twice running, throttle harder.
      if (pendingBytes > roundBytes / 2) {
        if (++highStreak >= 2) {
          throttle = throttle === 0 ? 0.2 : Math.min(0.99, throttle + 0.1);
          highStreak = 0;
        }
      } else highStreak = 0;
    }
    list = next;
  }
}

/**
 * The guest frees memory while it is migrated (FCtrans tracks it by introspection). A freed page is
 * unused: with FCtrans it leaves the dirty set and is not sent again. A freed page the guest then
 * allocates and writes is used again and goes as a dirty page: consistency is never traded away.
 */
export class FreeTracker {
  readonly #ctx: RunContext;
  readonly #rng: Rng;
  /** Time each page was freed in the current interval. */
  readonly #freedAt = new Map<number, number>();

  constructor(ctx: RunContext) {
    this.#ctx = ctx;
    this.#rng = new Rng(ctx.s.seed, 5);
  }

  /** Free pages of used memory in [t0, t1) at the scenario's rate; returns how many. */
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

function guestFreesAndWrites(ctx: RunContext, t0: number, t1: number, speed: number, mark: Uint8Array, frees: FreeTracker): Uint32Array {
  frees.free(t0, t1);
  const dirtied = ctx.collectDirty(t0, t1, speed, mark, (p, t) => frees.write(p, t));
  if (!ctx.skipUnused) return dirtied;
  // FCtrans: pages freed (and not reused) since they were dirtied leave the set.
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
