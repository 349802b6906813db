/**
 * Sending to one destination: each page through the stream's pipe (source thread, socket buffers,
 * link, receiver), with times, counters and trace columns written in one pass, and QEMU's pending
 * check once per iteration so a round can end early and sync.
 */
import { PageClass } from './page-class';
import type { PhaseRates, VmPlace } from './phase-rates';
import type { RunContext, SendOptions, SendResult } from './run-context';
import { SendFlag } from './trace';
import { PAGE_SIZE } from './units';

const ZERO = PageClass.zero;
const FLAG_ENC = SendFlag.encrypted;
const FLAG_OPENED = SendFlag.opened;

/** One destination: each page through the stream's pipe, times, counters and trace columns in one pass. */
export function sendSingle(ctx: RunContext, pages: Uint32Array, count: number, t0: number, vmOn: VmPlace, rates: PhaseRates, opts: SendOptions): SendResult {
  const timing = rates.streams[0]!;
  const { at, page: P, time: T, from: F, to: D, flags: G } = ctx.trace.reserveSends(count);
  const cls = ctx.cls;
  const pc = ctx.cost.perClass;
  const pageBytes = pc.pageBytes;
  const wire = pc.wireBytes;
  const up = timing.up;
  const down = timing.down;
  const flagsOf = ctx.flagsByClass;
  const extra = opts.flags ?? 0;
  const opened = ctx.opens[0] ? FLAG_OPENED : 0;
  const pipe = ctx.pipes[0]!;
  const window = ctx.window;
  const limit = opts.downtimeLimitS;
  const every = opts.checkEveryS ?? 0.05;
  let nextCheck = t0 + every;
  // A page the still-allocating program touched before the scan met it goes as data, not as a zero marker.
  const touchAt = ctx.firstTouch?.touchAt;
  const touchedClass = ctx.firstTouch?.classOf;
  pipe.idleUntil(t0);
  let bytes = 0;
  let duplicates = 0;
  let sealed = 0;
  let arrival = t0;
  let k = 0;
  let bandwidth = 0;
  // qemu-kvm 0.12's estimate (see CostModel.bandwidthEstimate): every page as 4 KiB over the time spent queueing it.
  const busyTime = ctx.cost.bandwidthEstimate === 'busy-time';
  let counted = 0;
  let queueing = 0;
  while (k < count) {
    const p = pages[k]!;
    const c = touchAt !== undefined && touchAt[p]! <= pipe.up ? touchedClass![p]! : cls[p]!;
    const b = pageBytes[c]!;
    arrival = pipe.send(up[c]!, down[c]!, wire[c]!);
    if (busyTime) {
      counted += PAGE_SIZE;
      queueing += up[c]!;
    }
    bytes += b;
    window.add(pipe.up, b);
    const j = at + k;
    P[j] = p;
    T[j] = arrival;
    D[j] = 1;
    const f = flagsOf[c]!;
    G[j] = extra | f | (f & FLAG_ENC ? opened : 0);
    if (c === ZERO) duplicates++;
    sealed += pc.sealed[c]!;
    k++;
    if (limit !== undefined && k < count && pipe.up >= nextCheck) {
      nextCheck = pipe.up + every;
      if (busyTime) {
        // Each of 0.12's calls measures only its own pages.
        bandwidth = queueing > 0 ? counted / queueing : 0;
        counted = 0;
        queueing = 0;
      } else bandwidth = window.rate(pipe.up);
      if ((count - k) * PAGE_SIZE < bandwidth * limit) break;
    }
  }
  F.fill(0, at, at + k);
  ctx.trace.commitSends(k);
  ctx.bytes += bytes;
  ctx.bytesPerDest[0]! += bytes;
  ctx.pagesPerDest[0]! += k;
  ctx.duplicatePages += duplicates;
  ctx.normalPages += k - duplicates;
  ctx.cpu[0]!.seals += sealed;
  if (opened) ctx.cpu[1]!.opens += sealed;
  ctx.busyUntil[0] = arrival;
  ctx.account(pipe.up - t0, rates, vmOn);
  const last = busyTime ? (queueing > 0 ? counted / queueing : bandwidth) : window.rate(pipe.up);
  return { sent: k, sourceEnd: pipe.up, end: arrival, bandwidth: last };
}
