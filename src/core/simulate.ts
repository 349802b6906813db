/**
 * The model's entry point: a resolved scenario in, a trace and metrics out. Pure and seeded: the same
 * scenario gives the same result in Node and in every browser.
 */
import { precopyRounds, type LiveResult } from './algorithms/precopy';
import { postcopy, type PostcopyResult } from './algorithms/postcopy';
import { switchOver } from './algorithms/switch-over';
import { remotePaging, type PagingResult } from './algorithms/remote-paging';
import { securityContextBytes } from './cost-model';
import { buildMetrics } from './metrics-build';
import type { Metrics } from './metrics';
import { RunContext, uncontendedShare } from './run-context';
import type { Scenario } from './scenario-types';
import type { Trace } from './trace';

export interface RunResult {
  scenario: Scenario;
  metrics: Metrics;
  trace: Trace;
}

export interface Outcome {
  start: number;
  setup: number;
  live: LiveResult | null;
  post: PostcopyResult | null;
  pauseAt: number;
  resumeAt: number;
  /** QEMU's downtime (until the source wrote its last byte), s. */
  sourceDowntime: number;
  end: number;
  cancelled: boolean;
  paging: PagingResult | null;
}

export interface SimulateOptions {
  /** False: no page-level trace (its columns come back empty); metrics and phases are the same. */
  trace?: boolean;
}

export function simulate(s: Scenario, options: SimulateOptions = {}): RunResult {
  const ctx = new RunContext(s, options.trace ?? true);
  const start = s.migration.startAtS;
  // Firewall rules change rarely: they go once, before the first page (Chen et al.'s framework).
  const setup = ctx.cost.setupS + securityContextBytes(s).rules / ctx.cost.links[0]!.bytesPerSecond;
  ctx.now = start + setup;
  ctx.pipes.forEach((p) => p.idleUntil(ctx.now));
  ctx.window.startAt(ctx.now);
  ctx.work += ctx.s.source.speed * setup * uncontendedShare(ctx);
  ctx.trace.phases.push({
    kind: 'setup', round: 0, start, end: ctx.now, pages: 0, bytes: 0, dirtied: 0, skipped: 0, throttle: 0,
    sends: [0, 0], dirties: [0, 0],
  });

  let live: LiveResult | null = null;
  let post: PostcopyResult | null = null;
  let pauseAt = ctx.now;
  let resumeAt = ctx.now;
  let sourceDowntime = 0;
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
      ({ pauseAt, resumeAt, sourceDowntime } = switchOver(ctx, new Uint32Array(0), ctx.now));
      post = postcopy(ctx, arrived, resumeAt, live?.scanFrom ?? 0);
    } else {
      const remaining = live ? live.pending : allSendable(ctx);
      ({ pauseAt, resumeAt, sourceDowntime } = switchOver(ctx, remaining, ctx.now));
      if (algo === 'stop-and-copy') ctx.skippedPages += countUnused(ctx);
    }
  }
  const migrationEnd = ctx.now;
  let paging: PagingResult | null = null;
  if (!cancelled && s.destinations.length > 1) paging = remotePaging(ctx, migrationEnd);

  const metrics = buildMetrics(ctx, { start, setup, live, post, pauseAt, resumeAt, sourceDowntime, end: migrationEnd, cancelled, paging });
  const trace = ctx.trace.finish({
    pageCount: ctx.pageCount,
    hosts: [s.source.name, ...s.destinations.map((d) => d.name)],
    pageClass: ctx.layout.pageClass,
    owner: ctx.owner,
    touchClass: ctx.firstTouch?.classOf ?? null,
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

