/**
 * Pre-copy as QEMU 7.2 runs it. All memory is dirty at the start; the source scans it in address order
 * and sends dirty pages, throttled by max-bandwidth. Whenever the pages still marked dirty fall below
 * the threshold (bandwidth × downtime-limit, with bandwidth measured over the last 100 ms), it syncs
 * the dirty log (`ram_save_pending`): pages written since join the set, and the scan carries on from
 * where it stood. If the set is still under the threshold after the sync, the VM stops. A "round" here
 * is the time between two syncs, and QEMU's `dirty-sync-count` is one per round plus the syncs at setup
 * and at completion. Caps on rounds and time, Xen's rule and auto-converge are options.
 */
import { scanOrder } from '../dirty-sort';
import { PageClass } from '../page-class';
import type { RunContext } from '../run-context';
import { PAGE_SIZE } from '../units';
import { FreeTracker, guestFreesAndWrites } from './free-tracker';
import { countUsed, forUsedRuns } from '../used-runs';

const FREE = PageClass.free;

export type LiveEnd = 'converged' | 'capped' | 'cancelled' | 'handover';

export interface LiveResult {
  /** Pages still dirty when the live phase ended, in scan order: they go in the downtime (or by post-copy). */
  pending: Uint32Array;
  end: LiveEnd;
  /** QEMU's expected downtime at the last sync, s: bytes still dirty ÷ bandwidth. */
  expectedDowntime: number | null;
  /** Pages dirtied per second in the last round. */
  dirtyRate: number;
  rounds: number;
  /** QEMU's bandwidth estimate at the end, bytes/s. */
  bandwidth: number;
  /** Address the scan stands at: the next page it would look at. */
  scanFrom: number;
}

/** First-pass list: every page in address order, FCtrans's unused pages left out. */
export function firstPass(ctx: RunContext): Uint32Array {
  const n = ctx.pageCount;
  const cls = ctx.cls;
  if (!ctx.skipUnused) {
    const all = new Uint32Array(n);
    for (let p = 0; p < n; p++) all[p] = p;
    return all;
  }
  const list = new Uint32Array(countUsed(cls));
  let k = 0;
  forUsedRuns(cls, (from, to) => {
    for (let p = from; p < to; p++) list[k++] = p;
  });
  return list;
}

/** Record the unused pages a sweep from `t0` to `t1` passed over, as runs, timed by address. */
export function recordSkips(ctx: RunContext, t0: number, t1: number): number {
  if (!ctx.s.split.skipUnused) return 0;
  const n = ctx.pageCount;
  const cls = ctx.cls;
  let skipped = 0;
  // The free runs are the gaps between the used ones.
  let gap = 0;
  const skip = (from: number, to: number): void => {
    if (to <= from) return;
    ctx.trace.skip(from, to - from, t0 + ((t1 - t0) * from) / n);
    skipped += to - from;
  };
  forUsedRuns(cls, (from, to) => {
    skip(gap, from);
    gap = to;
  });
  skip(gap, n);
  ctx.skippedPages += skipped;
  return skipped;
}

/** Run live rounds; `handoverAfter` rounds is a hybrid run's switch to post-copy. */
export function precopyRounds(ctx: RunContext, handoverAfter = Infinity): LiveResult {
  const s = ctx.s;
  const m = s.migration;
  const memBytes = ctx.pageCount * PAGE_SIZE;
  const mark = new Uint8Array(ctx.pageCount);
  const frees = new FreeTracker(ctx);
  const migrationStart = ctx.now;
  const sentAtStart = ctx.trace.sent;
  // Xen's hypervisor has only its fixed limits; QEMU's may be told to use them (a what-if).
  const qemu = ctx.cost.testbed.stopRule !== 'xen' && m.stopRule === 'qemu';
  const limitS = m.downtimeLimitMs / 1000;
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
    const rates = ctx.ratesFor(list, list.length, 'source', { throttled: true, cpuThrottle: throttle });
    ctx.firstTouch?.schedule(start, rates.workloadSpeed);
    const throttled = Number.isFinite(ctx.cost.throttleBps);
    const sent = ctx.send(list, list.length, t, 'source', rates, { downtimeLimitS: qemu ? limitS : undefined, checkEveryS: throttled ? 0.1 : 0.05 });
    const end = Math.max(sent.sourceEnd, start + 1e-9);
    const skipped = round === 1 ? recordSkips(ctx, start, end) : 0;
    const dirtied = guestFreesAndWrites(ctx, start, end, rates.workloadSpeed, mark, frees);
    // The sync: what the scan has not reached yet, plus everything written since the last sync.
    const leftover = list.subarray(sent.sent);
    const scanFrom = sent.sent > 0 ? (list[sent.sent - 1]! + 1) % ctx.pageCount : (list[0] ?? 0);
    // A page both not yet reached and written again is one dirty bit (scanOrder takes the union).
    const next = scanOrder(leftover, dirtied, scanFrom, ctx.pageCount);
    const roundBytes = ctx.bytes - bytesBefore;
    const bandwidth = sent.bandwidth;
    const pendingBytes = next.length * PAGE_SIZE; // QEMU counts dirty pages, zero or not, as whole pages
    // Xen estimates nothing: it has no expected downtime to report.
    expected = ctx.cost.bandwidthEstimate === 'none' ? null : bandwidth > 0 ? pendingBytes / bandwidth : Infinity;
    dirtyRate = dirtied.length / (end - start);
    ctx.trace.phases.push({
      kind: 'round', round, start, end, pages: sent.sent, bytes: roundBytes, dirtied: dirtied.length, skipped,
      expectedDowntime: expected ?? undefined, throttle,
      sends: [sendsFrom, ctx.trace.sends.page.length],
      dirties: [dirtiesFrom, ctx.trace.dirties.page.length],
    });
    t = end;
    ctx.now = t;
    const done = (endKind: LiveEnd): LiveResult => ({ pending: next, end: endKind, expectedDowntime: expected, dirtyRate, rounds: round, bandwidth, scanFrom });

    if (qemu && pendingBytes < bandwidth * limitS) return done('converged');
    if (!qemu) {
      // xc_domain_save: the iteration just ended sent fewer than 50 pages (it skips none here), or it was
      // the 29th (DEF_MAX_ITERS), or more than 3 × memory has been sent (DEF_MAX_FACTOR, counted in pages).
      if (sent.sent < 50) return done('converged');
      if (round >= 29 || ctx.trace.sent - sentAtStart > 3 * ctx.pageCount) return done('capped');
    }
    if (round >= handoverAfter) return done('handover');
    if (round >= m.maxRounds || t - migrationStart >= m.maxTotalS) {
      return done(m.onNoConvergence === 'cancel' ? 'cancelled' : 'capped');
    }
    if (m.autoConverge) {
      // QEMU: when the guest dirties more than half of what was sent, twice running, throttle harder.
      if (ctx.lastDirtyBytes > roundBytes / 2) {
        if (++highStreak >= 2) {
          throttle = throttle === 0 ? 0.2 : Math.min(0.99, throttle + 0.1);
          highStreak = 0;
        }
      } else highStreak = 0;
    }
    list = next;
  }
}
