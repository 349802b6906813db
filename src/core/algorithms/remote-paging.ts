/**
 * After a split migration the VM runs on the main host; pages held by sub hosts are paged in on demand
 * (a remote fault: request, round trip, transfer; the VM waits) and, when the main host is full, cold
 * pages are paged out to a sub host (a CLOCK sweep approximates LRU). FCtrans: an unused page is served
 * locally at once, and memory the guest frees is reclaimed and never paged. SEmigrate: sub hosts hold
 * ciphertext and never decrypt; only the main host opens a page, and only sensitive pages are sealed.
 */
import { cipherBytesPerSecond } from '../cost-model';
import type { SplitMetrics } from '../metrics';
import { PageClass } from '../page-class';
import type { RunContext } from '../run-context';
import { FaultKind, SendFlag } from '../trace';
import { MiB, NORMAL_PAGE_WIRE_BYTES, PAGE_SIZE } from '../units';
import { Rng } from '../prng';

export interface PagingResult {
  metrics(ctx: RunContext): SplitMetrics;
}

export function remotePaging(ctx: RunContext, t0: number): PagingResult {
  const s = ctx.s;
  const n = ctx.pageCount;
  const rng = new Rng(s.seed, 7);
  const dur = s.split.pagingSeconds;
  const lat = s.pagingLink.latencyMs / 1000;
  const bw = (s.pagingLink.bandwidthMbps * 1e6) / 8;
  const cipher = cipherBytesPerSecond(s);
  const main = s.destinations[0]!;
  const cap0 = Math.floor((main.capacityMiB * MiB) / PAGE_SIZE);
  const loc = ctx.owner.slice();
  const ref = new Uint8Array(n);
  const subs = s.destinations.length - 1;
  const subCap = s.destinations.slice(1).map((d) => Math.floor((d.capacityMiB * MiB) / PAGE_SIZE));
  const subUsed = new Array<number>(subs).fill(0);
  let resident = 0;
  for (let p = 0; p < n; p++) {
    if (ctx.isUnused(p)) continue;
    if (loc[p] === 0) resident++;
    else subUsed[loc[p]! - 1]!++;
  }
  const speed = main.speed;
  const touchRate = ctx.workload.touchRate;
  const allocRate = (s.workload.allocMiBps * MiB) / PAGE_SIZE;
  const freeRate = s.workload.freeRatePerS;
  const cost = (bytes: number, hostSpeed: number): number => (cipher === Infinity ? 0 : bytes / (cipher * hostSpeed));
  let hand = 0;
  let remoteFaults = 0;
  let pageOuts = 0;
  let faultLatency = 0;
  let stall = 0;
  let unusedLocal = 0;
  let freed = 0;
  let reused = 0;
  let touches = 0;
  const end = t0 + dur;
  const sendsFrom = ctx.trace.sends.page.length;

  const sealed = (p: number): boolean => ctx.isEncrypted(ctx.cls[p]!);
  const pageOut = (t: number): void => {
    // CLOCK: skip referenced pages (clearing their bit) until a cold resident page turns up.
    for (let guard = 0; guard < 2 * n + 1; guard++) {
      hand = (hand + 1) % n;
      if (loc[hand] !== 0 || ctx.isUnused(hand)) continue;
      if (ref[hand]) {
        ref[hand] = 0;
        continue;
      }
      let to = 0;
      for (let j = 1; j < subs; j++) if (subCap[j]! - subUsed[j]! > subCap[to]! - subUsed[to]!) to = j;
      const p = hand;
      const enc = sealed(p);
      if (enc) {
        ctx.cpu[1]!.seals++;
        ctx.cpu[1]!.cipher += cost(PAGE_SIZE, main.speed);
        if (ctx.decryptsOnReceipt(to + 1)) {
          ctx.cpu[to + 2]!.opens++;
          ctx.cpu[to + 2]!.cipher += cost(PAGE_SIZE, s.destinations[to + 1]!.speed);
        }
      }
      loc[p] = to + 1;
      subUsed[to]!++;
      resident--;
      pageOuts++;
      ctx.trace.fault(p, t, FaultKind.pageOut, to + 2);
      ctx.trace.send(p, t, 1, to + 2, SendFlag.paging | (enc ? SendFlag.encrypted | (ctx.decryptsOnReceipt(to + 1) ? SendFlag.opened : 0) : 0));
      return;
    }
  };
  const makeRoom = (t: number): void => {
    while (resident > cap0) pageOut(t);
  };

  let t = t0;
  let nextFree = freeRate > 0 ? t0 + rng.exponential(freeRate * n) : Infinity;
  const totalRate = touchRate * speed + allocRate * speed;
  while (t < end && totalRate > 0) {
    const gap = rng.exponential(totalRate);
    // Frees due before the next touch happen first (FCtrans reclaims them through introspection).
    while (nextFree < t + gap && nextFree < end) {
      const p = rng.int(n);
      if (ctx.cls[p] === PageClass.anon || ctx.cls[p] === PageClass.pageCache) {
        ctx.cls[p] = PageClass.free;
        freed++;
        ctx.trace.fault(p, nextFree, FaultKind.freed, loc[p]! + 1);
        if (s.split.skipUnused) {
          if (loc[p] === 0) resident--;
          else subUsed[loc[p]! - 1]!--;
        }
      }
      nextFree += rng.exponential(freeRate * n);
    }
    t += gap;
    if (t >= end) break;
    touches++;
    let p: number;
    if (rng.float() * totalRate < allocRate * speed) {
      p = rng.int(n);
      for (let tries = 0; tries < 64 && ctx.cls[p] !== PageClass.free; tries++) p = rng.int(n);
    } else p = ctx.workload.touch();
    if (ctx.isUnused(p)) {
      // FCtrans: no data to fetch; the page is allocated on the main host at once.
      ctx.cls[p] = PageClass.anon;
      loc[p] = 0;
      resident++;
      ref[p] = 1;
      unusedLocal++;
      ctx.trace.fault(p, t, FaultKind.unusedLocal, 1);
      makeRoom(t);
      continue;
    }
    if (ctx.cls[p] === PageClass.free) {
      ctx.cls[p] = PageClass.anon; // without FCtrans the hypervisor cannot tell: it pages as usual
      reused++;
    }
    if (loc[p] === 0) {
      ref[p] = 1;
      continue;
    }
    const from = loc[p]!;
    const enc = sealed(p);
    let latency = 2 * lat + NORMAL_PAGE_WIRE_BYTES / bw;
    if (enc) {
      if (ctx.decryptsOnReceipt(from)) {
        // Naive: the sub host stored plaintext, so it seals again before sending.
        latency += cost(PAGE_SIZE, s.destinations[from]!.speed);
        ctx.cpu[from + 1]!.seals++;
        ctx.cpu[from + 1]!.cipher += cost(PAGE_SIZE, s.destinations[from]!.speed);
      }
      latency += cost(PAGE_SIZE, main.speed);
      ctx.cpu[1]!.opens++;
      ctx.cpu[1]!.cipher += cost(PAGE_SIZE, main.speed);
    }
    remoteFaults++;
    faultLatency += latency;
    stall += latency;
    ctx.trace.fault(p, t, FaultKind.remote, from + 1);
    t += latency;
    ctx.trace.send(p, t, from + 1, 1, SendFlag.paging | SendFlag.requested | (enc ? SendFlag.encrypted | SendFlag.opened : 0));
    subUsed[from - 1]!--;
    loc[p] = 0;
    resident++;
    ref[p] = 1;
    makeRoom(t);
  }
  const endTime = Math.max(t, end);
  ctx.trace.phases.push({
    kind: 'paging', round: 0, start: t0, end: endTime, pages: remoteFaults + pageOuts, bytes: (remoteFaults + pageOuts) * NORMAL_PAGE_WIRE_BYTES,
    dirtied: 0, skipped: 0, throttle: 0,
    sends: [sendsFrom, ctx.trace.sends.page.length],
    dirties: [ctx.trace.dirties.page.length, ctx.trace.dirties.page.length],
  });
  ctx.now = endTime;
  const elapsed = endTime - t0;
  return {
    metrics: (c) => ({
      perHost: s.destinations.map((d, i) => ({
        name: d.name,
        pages: c.pagesPerDest[i]!,
        bytes: c.bytesPerDest[i]!,
        seconds: Math.max(0, c.busyUntil[i]! - s.migration.startAtS),
      })),
      remoteFaultsPerS: remoteFaults / elapsed,
      pageOutsPerS: pageOuts / elapsed,
      avgFaultLatencyMs: remoteFaults ? (faultLatency / remoteFaults) * 1000 : 0,
      accessPerformance: elapsed > 0 ? Math.max(0, (elapsed - stall) / elapsed) : 1,
      unusedServedLocally: unusedLocal,
      freedDuringRun: freed,
      reusedAfterFree: reused,
      subHostDecryptions: c.cpu.slice(2).reduce((a, h) => a + h.opens, 0),
    }),
  };
}
