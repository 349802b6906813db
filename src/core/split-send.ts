/**
 * Sending to several destinations at once (split migration): the streams run in parallel but share the
 * source's network interface max-min fairly — a stream capped lower by its link or its CPU leaves the
 * rest to the others, and a stream that finishes frees its share. Transfers are written in time order
 * by merging the streams as they are timed, without per-page scratch arrays (a 352 GB VM is 92 M pages).
 */
import { maxMinShare } from './fair-share';
import { PageClass } from './page-class';
import type { PhaseRates } from './phase-rates';
import type { RunContext } from './run-context';
import { SendFlag } from './trace';

const ZERO = PageClass.zero;
const FLAG_ENC = SendFlag.encrypted;
const FLAG_OPENED = SendFlag.opened;

/** Send `pages[0..count)` to their owners from `t0`; returns when the last page arrives and the bytes counted. */
export function sendSplit(ctx: RunContext, pages: Uint32Array, count: number, t0: number, rates: PhaseRates, extra: number): { end: number; bytes: number } {
  const n = ctx.destCount;
  const cls = ctx.cls;
  const owner = ctx.owner;
  const wire = ctx.cost.perClass.wireBytes;
  const pageBytes = ctx.cost.perClass.pageBytes;
  const sealedOf = ctx.cost.perClass.sealed;
  const flagsOf = ctx.flagsByClass;
  const sizes = new Uint32Array(n);
  const total = new Float64Array(n);
  const counted = new Float64Array(n);
  for (let k = 0; k < count; k++) {
    const p = pages[k]!;
    const d = owner[p]!;
    sizes[d]!++;
    total[d]! += wire[cls[p]!]!;
    counted[d]! += pageBytes[cls[p]!]!;
  }
  const lists = Array.from(sizes, (size) => new Uint32Array(size));
  const fill = new Uint32Array(n);
  for (let k = 0; k < count; k++) {
    const p = pages[k]!;
    const d = owner[p]!;
    lists[d]![fill[d]!++] = p;
  }
  // Epochs: between two stream completions every active stream has a constant rate.
  const nicBps = ctx.cost.sourceNicBps;
  const segStart: number[][] = Array.from({ length: n }, () => []);
  const segRate: number[][] = Array.from({ length: n }, () => []);
  const segBytes: number[][] = Array.from({ length: n }, () => []);
  const left = Float64Array.from(total);
  const doneAt = new Float64Array(n);
  let t = 0;
  for (;;) {
    const active: number[] = [];
    for (let d = 0; d < n; d++) if (left[d]! > 0) active.push(d);
    if (active.length === 0) break;
    const share = maxMinShare(active.map((d) => rates.streams[d]?.capBytesPerSecond ?? 0), nicBps);
    let dt = Infinity;
    active.forEach((d, i) => (dt = Math.min(dt, left[d]! / share[i]!)));
    active.forEach((d, i) => {
      segStart[d]!.push(t);
      segRate[d]!.push(share[i]!);
      segBytes[d]!.push(total[d]! - left[d]!);
      // The stream(s) that set dt finish exactly (no float crumbs left to run another epoch).
      if (left[d]! / share[i]! <= dt * (1 + 1e-12)) {
        left[d] = 0;
        doneAt[d] = t + dt;
      } else left[d] = left[d]! - share[i]! * dt;
    });
    t += dt;
  }
  const latency = ctx.cost.links.map((l) => l.latencyS);
  // Merge: each stream's next completion time, computed from its segments as it goes. The current
  // segment's figures are kept per stream in typed arrays (the segment changes a few times a call, the
  // page every step): its first byte, its rate, where it starts in time (t0 + latency + start, summed
  // in that order as the time is), and the first byte of the segment after it.
  const head = new Uint32Array(n);
  const cum = new Float64Array(n);
  const seg = new Uint32Array(n);
  const next = new Float64Array(n).fill(Infinity);
  const curB0 = new Float64Array(n);
  const curRate = new Float64Array(n);
  const curStart = new Float64Array(n);
  const nextB0 = new Float64Array(n).fill(Infinity);
  const enter = (d: number, sIdx: number): void => {
    seg[d] = sIdx;
    curB0[d] = segBytes[d]![sIdx]!;
    curRate[d] = segRate[d]![sIdx]!;
    curStart[d] = t0 + latency[d]! + segStart[d]![sIdx]!;
    nextB0[d] = sIdx + 1 < segStart[d]!.length ? segBytes[d]![sIdx + 1]! : Infinity;
  };
  for (let d = 0; d < n; d++) {
    if (sizes[d]! === 0) continue;
    next[d] = t0 + latency[d]! + wire[cls[lists[d]![0]!]!]! / segRate[d]![0]!;
    enter(d, 0);
  }
  const { at, page: P, time: T, from: F, to: D, flags: G } = ctx.trace.reserveSends(count);
  F.fill(0, at, at + count);
  let duplicates = 0;
  const opens = ctx.opens;
  const sealedBy = new Float64Array(n);
  for (let j = at; j < at + count; j++) {
    let d = 0;
    let best = next[0]!;
    for (let e = 1; e < n; e++) {
      if (next[e]! < best) {
        best = next[e]!;
        d = e;
      }
    }
    const list = lists[d]!;
    const h = head[d]!;
    const p = list[h]!;
    const c = cls[p]!;
    const f = flagsOf[c]!;
    P[j] = p;
    T[j] = best;
    D[j] = d + 1;
    G[j] = extra | f | (f & FLAG_ENC && opens[d] ? FLAG_OPENED : 0);
    if (c === ZERO) duplicates++;
    sealedBy[d]! += sealedOf[c]!;
    cum[d]! += wire[c]!;
    head[d] = h + 1;
    if (h + 1 < list.length) {
      // Time of the next page of this stream: find its epoch segment, then interpolate.
      const bytes = cum[d]! + wire[cls[list[h + 1]!]!]!;
      if (nextB0[d]! < bytes) {
        let sIdx = seg[d]!;
        while (sIdx + 1 < segStart[d]!.length && segBytes[d]![sIdx + 1]! < bytes) sIdx++;
        enter(d, sIdx);
      }
      next[d] = curStart[d]! + (bytes - curB0[d]!) / curRate[d]!;
    } else next[d] = Infinity;
  }
  for (let d = 0; d < n; d++) {
    ctx.cpu[0]!.seals += sealedBy[d]!;
    if (opens[d]) ctx.cpu[d + 1]!.opens += sealedBy[d]!;
  }
  ctx.trace.commitSends(count);
  let end = t0;
  let bytes = 0;
  for (let d = 0; d < n; d++) {
    bytes += counted[d]!;
    ctx.bytes += counted[d]!;
    ctx.bytesPerDest[d]! += counted[d]!;
    ctx.pagesPerDest[d]! += sizes[d]!;
    if (sizes[d]! > 0) {
      const finish = t0 + latency[d]! + doneAt[d]!;
      ctx.busyUntil[d] = finish;
      end = Math.max(end, finish);
    }
  }
  ctx.duplicatePages += duplicates;
  ctx.normalPages += count - duplicates;
  return { end, bytes };
}
