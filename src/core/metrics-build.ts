/** Turning a finished run's context into its metrics (names as QEMU's `query-migrate` names them). */
import { securityContextBytes } from './cost-model';
import type { HostUsage, Metrics } from './metrics';
import type { Outcome } from './simulate';
import { uncontendedShare, type RunContext } from './run-context';

export function buildMetrics(ctx: RunContext, o: Outcome): Metrics {
  const s = ctx.s;
  const total = o.end - o.start;
  const hostsSpec = [s.source, ...s.destinations];
  const hosts: HostUsage[] = hostsSpec.map((h, i) => {
    const c = ctx.cpu[i]!;
    const busy = c.cipher + c.copy + c.workload;
    return {
      name: h.name,
      cpu: total > 0 ? Math.min(1, busy / (h.cores * total)) : 0,
      demand: total > 0 ? busy / (h.cores * total) : 0,
      cipherShare: busy > 0 ? c.cipher / busy : 0,
      copyShare: busy > 0 ? c.copy / busy : 0,
      seals: c.seals,
      opens: c.opens,
    };
  });
  const nominal = s.source.speed * uncontendedShare(ctx) * total;
  const progress = nominal > 0 ? Math.max(0, ctx.work / nominal) : 1;
  const rounds = ctx.trace.phases
    .filter((p) => p.kind === 'round')
    .map((p) => ({
      round: p.round,
      pages: p.pages,
      dirtied: p.dirtied,
      seconds: p.end - p.start,
      expectedDowntimeMs: p.expectedDowntime === undefined ? null : p.expectedDowntime * 1000,
      throttle: p.throttle,
    }));
  const converged = o.live ? o.live.end === 'converged' || o.live.end === 'handover' : true;
  // QEMU syncs the dirty log at setup, at the end of every round, and once more when it stops the VM
  // (completion, or the start of post-copy).
  const syncs = 1 + (o.live?.rounds ?? 0) + (o.cancelled ? 0 : 1);
  return {
    status: o.cancelled ? 'cancelled' : 'completed',
    converged,
    'total-time': total * 1000,
    downtime: o.cancelled ? 0 : o.sourceDowntime * 1000,
    guestDowntime: o.cancelled ? 0 : (o.resumeAt - o.pauseAt) * 1000,
    'expected-downtime': o.live?.expectedDowntime == null || !Number.isFinite(o.live.expectedDowntime) ? null : o.live.expectedDowntime * 1000,
    'setup-time': o.setup * 1000,
    ram: {
      transferred: ctx.bytes,
      total: s.vm.memoryMiB * 1024 * 1024,
      normal: ctx.normalPages,
      duplicate: ctx.duplicatePages,
      skipped: ctx.skippedPages,
      'dirty-sync-count': syncs,
      'dirty-pages-rate': o.live?.dirtyRate ?? 0,
      mbps: total > 0 ? (ctx.bytes * 8) / 1e6 / total : 0,
      'postcopy-requests': o.post?.networkFaults ?? 0,
    },
    stateBytes: o.cancelled ? 0 : ctx.cost.deviceStateBytes + securityContextBytes(s).connections,
    minorFaults: o.post?.minorFaults ?? 0,
    skippedSavedMs: ((ctx.skippedPages * ctx.cost.perClass.pageBytes[5]!) / ctx.cost.sourceNicBps) * 1000,
    rounds,
    hosts,
    workload: { progress, slowdownPct: (1 - progress) * 100, stallMs: ctx.stall * 1000 },
    split: o.paging ? o.paging.metrics(ctx) : null,
  };
}
