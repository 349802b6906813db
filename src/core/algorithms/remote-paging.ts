/**
 * After a split migration the VM runs on the main host; pages held by sub hosts are paged in on demand
 * (a remote fault: request, round trip, transfer; the VM waits) and, when the main host is full, cold
 * pages are paged out to a sub host (CLOCK over the main host's frames approximates LRU). FCtrans: an
 * unused page is served locally at once, and memory the guest frees is reclaimed and never paged.
 * SEmigrate: sub hosts hold ciphertext and never decrypt; only the main host opens a page, and only
 * sensitive pages are sealed.
 */
import { cipherBytesPerSecond } from '../cost-model';
import type { SplitMetrics } from '../metrics';
import { PageClass } from '../page-class';
import { Rng } from '../prng';
import type { RunContext } from '../run-context';
import { FaultKind, SendFlag } from '../trace';
import { MiB, NORMAL_PAGE_WIRE_BYTES, PAGE_SIZE } from '../units';

const EMPTY = 0xffffffff;
const ANON = PageClass.anon;
const FILE = PageClass.pageCache;
const FREE = PageClass.free;

export interface PagingResult {
  metrics(ctx: RunContext): SplitMetrics;
}

export function remotePaging(ctx: RunContext, t0: number): PagingResult {
  const s = ctx.s;
  const n = ctx.pageCount;
  const rng = new Rng(s.seed, 7);
  const lat = s.pagingLink.latencyMs / 1000;
  const bw = (s.pagingLink.bandwidthMbps * 1e6) / 8;
  const cipher = cipherBytesPerSecond(s);
  const main = s.destinations[0]!;
  const cap0 = Math.floor((main.capacityMiB * MiB) / PAGE_SIZE);
  const subs = s.destinations.length - 1;
  const subCap = s.destinations.slice(1).map((d) => Math.floor((d.capacityMiB * MiB) / PAGE_SIZE));
  const subUsed = new Array<number>(subs).fill(0);
  const loc = ctx.owner.slice();
  const ref = new Uint8Array(n);

  // The main host's frames as a CLOCK ring: slot → page (EMPTY when free). Eviction sweeps frames,
  // not guest memory, so a page-out costs O(1) amortised even for a 352 GB guest.
  const frames = new Uint32Array(Math.max(1, cap0)).fill(EMPTY);
  const slotOf = new Map<number, number>();
  let used = 0;
  const perSub = new Float64Array(subs + 1);
  const cls = ctx.cls;
  const skip = ctx.skipUnused;
  for (let p = 0; p < n; p++) {
    if (skip && cls[p] === FREE) continue;
    const l = loc[p]!;
    if (l === 0) {
      if (used < frames.length) frames[used++] = p;
    } else perSub[l]!++;
  }
  for (let j = 0; j < subs; j++) subUsed[j] = perSub[j + 1]!;
  // Free frames: those never used yet are the range [fresh, frames.length); released ones are stacked.
  const freeSlots: number[] = [];
  let fresh = used;
  let hand = 0;

  const cost = (bytes: number, hostSpeed: number): number => (cipher === Infinity ? 0 : bytes / (cipher * hostSpeed));
  const sealed = (p: number): boolean => ctx.isEncrypted(ctx.cls[p]!);
  let remoteFaults = 0;
  let pageOuts = 0;
  let faultLatency = 0;
  let stall = 0;
  let unusedLocal = 0;
  let freed = 0;
  let reused = 0;
  let touches = 0;
  const sendsFrom = ctx.trace.sends.page.length;

  /** Evict a cold page to the sub host with most room; returns the frame it frees. */
  const pageOut = (t: number): number => {
    for (;;) {
      const p = frames[hand]!;
      const slot = hand;
      hand = (hand + 1) % frames.length;
      if (p === EMPTY) return slot;
      if (ref[p]) {
        ref[p] = 0;
        continue;
      }
      let to = 0;
      for (let j = 1; j < subs; j++) if (subCap[j]! - subUsed[j]! > subCap[to]! - subUsed[to]!) to = j;
      const enc = sealed(p);
      const opens = enc && ctx.decryptsOnReceipt(to + 1);
      if (enc) {
        ctx.cpu[1]!.seals++;
        ctx.cpu[1]!.cipher += cost(PAGE_SIZE, main.speed);
      }
      if (opens) {
        ctx.cpu[to + 2]!.opens++;
        ctx.cpu[to + 2]!.cipher += cost(PAGE_SIZE, s.destinations[to + 1]!.speed);
      }
      loc[p] = to + 1;
      subUsed[to]!++;
      pageOuts++;
      frames[slot] = EMPTY;
      ctx.trace.fault(p, t, FaultKind.pageOut, to + 2);
      ctx.trace.send(p, t, 1, to + 2, SendFlag.paging | (enc ? SendFlag.encrypted : 0) | (opens ? SendFlag.opened : 0));
      return slot;
    }
  };
  /** Give page `p` a frame on the main host, evicting a cold page when none is free. */
  const place = (p: number, t: number): void => {
    const slot = freeSlots.length > 0 ? freeSlots.pop()! : fresh < frames.length ? fresh++ : pageOut(t);
    frames[slot] = p;
    slotOf.set(p, slot);
    loc[p] = 0;
    ref[p] = 1;
  };
  /** FCtrans reclaimed a page the guest freed on the main host: its frame is free again. */
  const release = (p: number): void => {
    let slot = slotOf.get(p);
    if (slot === undefined || frames[slot] !== p) slot = frames.indexOf(p); // initial placement has no map entry
    if (slot >= 0) {
      frames[slot] = EMPTY;
      freeSlots.push(slot);
    }
  };

  const speed = main.speed;
  const touchRate = ctx.workload.touchRate;
  const allocRate = (s.workload.allocMiBps * MiB) / PAGE_SIZE;
  const freeRate = s.workload.freeRatePerS * n;
  const totalRate = (touchRate + allocRate) * speed;
  const end = t0 + s.split.pagingSeconds;
  let nextFree = freeRate > 0 ? t0 + rng.exponential(freeRate) : Infinity;
  let t = t0;
  while (t < end && totalRate > 0) {
    const gap = rng.exponential(totalRate);
    // Frees due before the next touch happen first (FCtrans learns of them through introspection).
    while (nextFree < t + gap && nextFree < end) {
      const p = rng.int(n);
      if (ctx.cls[p] === ANON || ctx.cls[p] === FILE) {
        ctx.cls[p] = FREE;
        freed++;
        ctx.trace.fault(p, nextFree, FaultKind.freed, loc[p]! + 1);
        if (s.split.skipUnused) {
          if (loc[p] === 0) release(p);
          else subUsed[loc[p]! - 1]!--;
        }
      }
      nextFree += rng.exponential(freeRate);
    }
    t += gap;
    if (t >= end) break;
    touches++;
    let p: number;
    if (rng.float() * (touchRate + allocRate) < allocRate) {
      // A fresh allocation: the guest hands out some free page.
      p = rng.int(n);
      for (let tries = 0; tries < 64 && ctx.cls[p] !== FREE; tries++) p = rng.int(n);
    } else p = ctx.workload.touch();

    if (ctx.isUnused(p)) {
      // FCtrans: no data to fetch; the page is allocated on the main host at once.
      ctx.cls[p] = ANON;
      if (loc[p] !== 0) subUsed[loc[p]! - 1]!--;
      if (loc[p] !== 0 || !slotOf.has(p)) place(p, t);
      unusedLocal++;
      ctx.trace.fault(p, t, FaultKind.unusedLocal, 1);
      continue;
    }
    if (ctx.cls[p] === FREE) {
      ctx.cls[p] = ANON; // without FCtrans the hypervisor cannot tell: it pages as usual
      reused++;
      ctx.trace.fault(p, t, FaultKind.reused, loc[p]! + 1);
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
    place(p, t);
  }
  const endTime = Math.max(t, end);
  ctx.trace.phases.push({
    kind: 'paging', round: 0, start: t0, end: endTime, pages: remoteFaults + pageOuts,
    bytes: (remoteFaults + pageOuts) * NORMAL_PAGE_WIRE_BYTES, dirtied: 0, skipped: 0, throttle: 0,
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
      remoteFaultsPerS: elapsed > 0 ? remoteFaults / elapsed : 0,
      pageOutsPerS: elapsed > 0 ? pageOuts / elapsed : 0,
      avgFaultLatencyMs: remoteFaults ? (faultLatency / remoteFaults) * 1000 : 0,
      accessPerformance: elapsed > 0 ? Math.max(0, (elapsed - stall) / elapsed) : 1,
      unusedServedLocally: unusedLocal,
      freedDuringRun: freed,
      reusedAfterFree: reused,
      subHostDecryptions: c.cpu.slice(2).reduce((a, h) => a + h.opens, 0),
      touches,
    }),
  };
}
