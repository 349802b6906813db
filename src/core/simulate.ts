/**
 * The model's entry point: a resolved scenario in, a trace and metrics out. Pure and seeded: the same
 * scenario gives the same result in Node and in every browser.
 */
import { precopyRounds, type LiveResult } from './algorithms/precopy';
import { postcopy, type PostcopyResult } from './algorithms/postcopy';
import { switchOver } from './algorithms/switch-over';
import { remotePaging, type PagingResult } from './algorithms/remote-paging';
import { securityContextBytes, setupSeconds, sourceNicBps, workloadCores } from './cost-model';
import type { Metrics, HostUsage } from './metrics';
import { RunContext } from './run-context';
import type { Scenario } from './scenario-types';
import type { Trace } from './trace';
import { MiB, NORMAL_PAGE_WIRE_BYTES } from './units';

export interface RunResult {
  scenario: Scenario;
  metrics: Metrics;
  trace: Trace;
}

export function simulate(s: Scenario): RunResult {
  const ctx = new RunContext(s);
  const start = s.migration.startAtS;
  // Firewall rules change rarely: they go once, before the first page (Chen et al.'s framework).
  const setup = setupSeconds(s) + securityContextBytes(s).rules / ((s.links[0]!.bandwidthMbps * 1e6) / 8);
  ctx.now = start + setup;
  ctx.work += ctx.s.source.speed * setup * uncontendedShare(s);
  ctx.trace.phases.push({
    kind: 'setup', round: 0, start, end: ctx.now, pages: 0, bytes: 0, dirtied: 0, skipped: 0, throttle: 0,
    sends: [0, 0], dirties: [0, 0],
  });

  let live: LiveResult | null = null;
  let post: PostcopyResult | null = null;
  let pauseAt = ctx.now;
  let resumeAt = ctx.now;
  const algo = s.migration.algorithm;
  if (algo === 'precopy' || algo === 'hybrid') {
    live = precopyRounds(ctx, algo === 'hybrid' ? s.migration.hybridRounds : Infinity);
  }
  const cancelled = live?.end === 'cancelled';
  if (!cancelled) {
    if (algo === 'postcopy' || (algo === 'hybrid' && live?.end === 'handover')) {
      const arrived = new Uint8Array(ctx.pageCount);
      if (live) {
        arrived.fill(1);
        for (const p of live.pending) arrived[p] = 0;
      }
      ({ pauseAt, resumeAt } = switchOver(ctx, new Uint32Array(0), ctx.now, false));
      post = postcopy(ctx, arrived, resumeAt);
    } else {
      const remaining = live ? live.pending : allSendable(ctx);
      ({ pauseAt, resumeAt } = switchOver(ctx, remaining, ctx.now, live !== null));
      if (algo === 'stop-and-copy') ctx.skippedPages += countUnused(ctx);
    }
  }
  const migrationEnd = ctx.now;
  let paging: PagingResult | null = null;
  if (!cancelled && s.destinations.length > 1) paging = remotePaging(ctx, migrationEnd);

  const metrics = buildMetrics(ctx, { start, setup, live, post, pauseAt, resumeAt, end: migrationEnd, cancelled, paging });
  const trace = ctx.trace.finish({
    pageCount: ctx.pageCount,
    hosts: [s.source.name, ...s.destinations.map((d) => d.name)],
    pageClass: ctx.layout.pageClass,
    owner: ctx.owner,
    pauseAt,
    resumeAt,
    endTime: ctx.now,
  });
  return { scenario: s, metrics, trace };
}

function allSendable(ctx: RunContext): Uint32Array {
  const out = new Uint32Array(ctx.pageCount);
  let k = 0;
  for (let p = 0; p < ctx.pageCount; p++) if (!ctx.isUnused(p)) out[k++] = p;
  return out.subarray(0, k);
}

function countUnused(ctx: RunContext): number {
  let k = 0;
  for (let p = 0; p < ctx.pageCount; p++) if (ctx.isUnused(p)) k++;
  return k;
}

/** The workload's CPU share when it runs alone on the source (the baseline for progress). */
function uncontendedShare(s: Scenario): number {
  const demand = workloadCores(s.workload.kind, s.vm.vcpus);
  return demand > s.source.cores ? s.source.cores / demand : 1;
}

interface Outcome {
  start: number;
  setup: number;
  live: LiveResult | null;
  post: PostcopyResult | null;
  pauseAt: number;
  resumeAt: number;
  end: number;
  cancelled: boolean;
  paging: PagingResult | null;
}

function buildMetrics(ctx: RunContext, o: Outcome): Metrics {
  const s = ctx.s;
  const total = o.end - o.start;
  const hostsSpec = [s.source, ...s.destinations];
  const hosts: HostUsage[] = hostsSpec.map((h, i) => {
    const c = ctx.cpu[i]!;
    const busy = c.cipher + c.workload;
    return {
      name: h.name,
      cpu: total > 0 ? Math.min(1, busy / (h.cores * total)) : 0,
      cipherShare: busy > 0 ? c.cipher / busy : 0,
      seals: c.seals,
      opens: c.opens,
    };
  });
  const nominal = s.source.speed * uncontendedShare(s) * total;
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
  return {
    status: o.cancelled ? 'cancelled' : 'completed',
    converged,
    'total-time': total * 1000,
    downtime: o.cancelled ? 0 : (o.resumeAt - o.pauseAt) * 1000,
    'expected-downtime': o.live?.expectedDowntime == null ? null : o.live.expectedDowntime * 1000,
    'setup-time': o.setup * 1000,
    ram: {
      transferred: ctx.bytes,
      total: s.vm.memoryMiB * MiB,
      normal: ctx.normalPages,
      duplicate: ctx.duplicatePages,
      skipped: ctx.skippedPages,
      'dirty-sync-count': (o.live?.rounds ?? 0) + (o.cancelled ? 0 : 1),
      'dirty-pages-rate': o.live?.dirtyRate ?? 0,
      mbps: total > 0 ? (ctx.bytes * 8) / 1e6 / total : 0,
      'postcopy-requests': o.post?.networkFaults ?? 0,
    },
    minorFaults: o.post?.minorFaults ?? 0,
    skippedSavedMs: ((ctx.skippedPages * NORMAL_PAGE_WIRE_BYTES) / sourceNicBps(s)) * 1000,
    rounds,
    hosts,
    workload: { progress, slowdownPct: (1 - progress) * 100, stallMs: ctx.stall * 1000 },
    split: o.paging ? o.paging.metrics(ctx) : null,
  };
}
