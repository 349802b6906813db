/**
 * After a split migration the VM runs on the main host; pages held by sub hosts are paged in on demand
 * (a remote fault: request, round trip, transfer; the VM waits) and, when the main host is full, cold
 * pages are paged out to a sub host (CLOCK over the main host's frames approximates LRU). FCtrans: an
 * unused page is served locally at once, and memory the guest frees is reclaimed and never paged.
 * SEmigrate: sub hosts hold ciphertext and never decrypt; only the main host opens a page, and only
 * sensitive pages are sealed.
 */
import { ClockRing } from '../clock-ring';
import type { SplitMetrics } from '../metrics';
import { PageClass } from '../page-class';
import { Rng } from '../prng';
import { forUsedRuns } from '../used-runs';
import type { RunContext } from '../run-context';
import { FaultKind, SendFlag } from '../trace';
import { MiB, NORMAL_PAGE_WIRE_BYTES, PAGE_SIZE } from '../units';

const ANON = PageClass.anon;
const FILE = PageClass.pageCache;
const FREE = PageClass.free;

export interface PagingResult {
  metrics(ctx: RunContext): SplitMetrics;
}

/** Where pages live during paging, and the counters of what happened. */
class Paging {
  readonly loc: Uint8Array;
  readonly ring: ClockRing;
  readonly subCap: number[];
  readonly subUsed: number[];
  remoteFaults = 0;
  pageOuts = 0;
  faultLatency = 0;
  stall = 0;
  unusedLocal = 0;
  freed = 0;
  reused = 0;
  touches = 0;

  constructor(readonly ctx: RunContext) {
    const s = ctx.s;
    const n = ctx.pageCount;
    this.loc = ctx.owner.slice();
    this.subCap = s.destinations.slice(1).map((d) => Math.floor((d.capacityMiB * MiB) / PAGE_SIZE));
    this.subUsed = this.subCap.map(() => 0);
    // The main host's pages in address order, as many as its frames hold (the ring takes no more).
    const frames = Math.floor((s.destinations[0]!.capacityMiB * MiB) / PAGE_SIZE);
    const resident = new Uint32Array(Math.min(Math.max(1, frames), n));
    let residents = 0;
    const loc = this.loc;
    const subUsed = this.subUsed;
    const place = (from: number, to: number): void => {
      for (let p = from; p < to; p++) {
        const l = loc[p]!;
        if (l !== 0) subUsed[l - 1]!++;
        else if (residents < resident.length) resident[residents++] = p;
      }
    };
    if (ctx.skipUnused) forUsedRuns(ctx.cls, place);
    else place(0, n);
    this.ring = new ClockRing(frames, n, resident.subarray(0, residents));
  }

  /** Seconds of cipher work for one page on a host, and the tally. */
  cipher(host: number, kind: 'seals' | 'opens'): number {
    const cost = this.ctx.cost;
    const seconds = cost.encrypting ? PAGE_SIZE / (cost.cipherBps * cost.hosts[host]!.cipherSpeed) : 0;
    const tally = this.ctx.cpu[host]!;
    tally[kind]++;
    tally.cipher += seconds;
    return seconds;
  }

  /** Give page `p` a frame on the main host, evicting a cold page to the sub host with most room. */
  place(p: number, t: number): void {
    const ctx = this.ctx;
    this.ring.place(p, (victim) => {
      let to = 0;
      for (let j = 1; j < this.subCap.length; j++) if (this.subCap[j]! - this.subUsed[j]! > this.subCap[to]! - this.subUsed[to]!) to = j;
      const enc = ctx.isEncrypted(ctx.cls[victim]!);
      const opens = enc && ctx.decryptsOnReceipt(to + 1);
      if (enc) this.cipher(1, 'seals');
      if (opens) this.cipher(to + 2, 'opens');
      this.loc[victim] = to + 1;
      this.subUsed[to]!++;
      this.pageOuts++;
      ctx.trace.fault(victim, t, FaultKind.pageOut, to + 2);
      ctx.trace.send(victim, t, 1, to + 2, SendFlag.paging | (enc ? SendFlag.encrypted : 0) | (opens ? SendFlag.opened : 0));
    });
    this.loc[p] = 0;
  }

  /** A remote fault on page `p` held by destination `from` (≥ 1): the page's latency, s. */
  pageIn(p: number, t: number): number {
    const ctx = this.ctx;
    const link = ctx.cost.pagingLink;
    const from = this.loc[p]!;
    const enc = ctx.isEncrypted(ctx.cls[p]!);
    let latency = 2 * link.latencyS + NORMAL_PAGE_WIRE_BYTES / link.bytesPerSecond;
    if (enc) {
      // Naive split: the sub host stored plaintext, so it seals again before sending.
      if (ctx.decryptsOnReceipt(from)) latency += this.cipher(from + 1, 'seals');
      latency += this.cipher(1, 'opens');
    }
    this.remoteFaults++;
    this.faultLatency += latency;
    this.stall += latency;
    ctx.trace.fault(p, t, FaultKind.remote, from + 1);
    ctx.trace.send(p, t + latency, from + 1, 1, SendFlag.paging | SendFlag.requested | (enc ? SendFlag.encrypted | SendFlag.opened : 0));
    this.subUsed[from - 1]!--;
    this.place(p, t + latency);
    return latency;
  }

  /** The guest freed page `p` (FCtrans learns of it through introspection and reclaims it). */
  free(p: number, t: number): void {
    const ctx = this.ctx;
    if (ctx.cls[p] !== ANON && ctx.cls[p] !== FILE) return;
    ctx.cls[p] = FREE;
    this.freed++;
    ctx.trace.fault(p, t, FaultKind.freed, this.loc[p]! + 1);
    if (!ctx.skipUnused) return;
    if (this.loc[p] === 0) this.ring.release(p);
    else this.subUsed[this.loc[p]! - 1]!--;
  }

  /** The guest touched page `p` at `t`; returns how long it waited. */
  touch(p: number, t: number): number {
    const ctx = this.ctx;
    this.touches++;
    if (ctx.isUnused(p)) {
      // FCtrans: no data to fetch; the page is allocated on the main host at once.
      ctx.cls[p] = ANON;
      if (this.loc[p] !== 0) this.subUsed[this.loc[p]! - 1]!--;
      if (this.loc[p] !== 0 || !this.ring.placedLater(p)) this.place(p, t);
      this.unusedLocal++;
      ctx.trace.fault(p, t, FaultKind.unusedLocal, 1);
      return 0;
    }
    if (ctx.cls[p] === FREE) {
      ctx.cls[p] = ANON; // without FCtrans the hypervisor cannot tell: it pages as usual
      this.reused++;
      ctx.trace.fault(p, t, FaultKind.reused, this.loc[p]! + 1);
    }
    if (this.loc[p] === 0) {
      this.ring.touch(p);
      return 0;
    }
    return this.pageIn(p, t);
  }
}

export function remotePaging(ctx: RunContext, t0: number): PagingResult {
  const s = ctx.s;
  const n = ctx.pageCount;
  const rng = new Rng(s.seed, 7);
  const paging = new Paging(ctx);
  const sendsFrom = ctx.trace.sends.page.length;
  const speed = s.destinations[0]!.speed;
  const touchRate = ctx.workload.touchRate;
  const allocRate = (s.workload.allocMiBps * MiB) / PAGE_SIZE;
  const freeRate = s.workload.freeRatePerS * n;
  const totalRate = (touchRate + allocRate) * speed;
  const end = t0 + s.split.pagingSeconds;
  let nextFree = freeRate > 0 ? t0 + rng.exponential(freeRate) : Infinity;
  let t = t0;
  while (t < end && totalRate > 0) {
    const gap = rng.exponential(totalRate);
    // Frees due before the next touch happen first.
    while (nextFree < t + gap && nextFree < end) {
      paging.free(rng.int(n), nextFree);
      nextFree += rng.exponential(freeRate);
    }
    t += gap;
    if (t >= end) break;
    let p: number;
    if (rng.float() * (touchRate + allocRate) < allocRate) {
      // A fresh allocation: the guest hands out some free page.
      p = rng.int(n);
      for (let tries = 0; tries < 64 && ctx.cls[p] !== FREE; tries++) p = rng.int(n);
    } else p = ctx.workload.touch();
    t += paging.touch(p, t);
  }
  const endTime = Math.max(t, end);
  const moved = paging.remoteFaults + paging.pageOuts;
  ctx.trace.phases.push({
    kind: 'paging', round: 0, start: t0, end: endTime, pages: moved,
    bytes: moved * NORMAL_PAGE_WIRE_BYTES, dirtied: 0, skipped: 0, throttle: 0,
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
      remoteFaultsPerS: elapsed > 0 ? paging.remoteFaults / elapsed : 0,
      pageOutsPerS: elapsed > 0 ? paging.pageOuts / elapsed : 0,
      avgFaultLatencyMs: paging.remoteFaults ? (paging.faultLatency / paging.remoteFaults) * 1000 : 0,
      accessPerformance: elapsed > 0 ? Math.max(0, (elapsed - paging.stall) / elapsed) : 1,
      unusedServedLocally: paging.unusedLocal,
      freedDuringRun: paging.freed,
      reusedAfterFree: paging.reused,
      subHostDecryptions: c.cpu.slice(2).reduce((a, h) => a + h.opens, 0),
      touches: paging.touches,
    }),
  };
}
