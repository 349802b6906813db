/**
 * Post-copy: the VM resumes on the destination after only its vCPU and device state arrive; the source
 * pushes pages in the background. A touch of a page that has not arrived is a network fault (request,
 * round trip, the VM waits); the first touch of an arrived page is a minor fault. Every page is sent
 * at most once. Optional pre-paging sends the neighbours of a faulting page with it.
 */
import type { RunContext } from '../run-context';
import { FaultKind, SendFlag } from '../trace';
import { PageClass } from '../page-class';

export interface PostcopyResult {
  end: number;
  networkFaults: number;
  minorFaults: number;
  stall: number;
}

/** `arrived[p]` = 1 for pages already on the destination (hybrid: sent in pre-copy rounds and clean). */
export function postcopy(ctx: RunContext, arrived: Uint8Array, resumeAt: number): PostcopyResult {
  const s = ctx.s;
  const n = ctx.pageCount;
  const lat = s.links[0]!.latencyMs / 1000;
  const sendsFrom = ctx.trace.sends.page.length;
  const bytesBefore = ctx.bytes;
  // Rates of the single stream while the VM runs on the destination.
  const rates = ctx.ratesFor(Uint32Array.from({ length: Math.min(n, 4096) }, (_, i) => Math.floor((i * n) / Math.min(n, 4096))), Math.min(n, 4096), 'main', 0);
  const bps = rates.streamBps[0]!;
  const speed = rates.workloadSpeed;
  const touched = new Uint8Array(n);
  let remaining = 0;
  for (let p = 0; p < n; p++) if (!arrived[p] && !ctx.isUnused(p)) remaining++;
  let linkFree = resumeAt;
  let pushAt = 0;
  let nextTouch = resumeAt + ctx.workload.nextTouchGap(speed);
  let networkFaults = 0;
  let minorFaults = 0;
  let stall = 0;

  const sendNow = (p: number, from: number, flags: number): number => {
    const finish = Math.max(linkFree, from) + ctx.wireBytes(p) / bps;
    linkFree = finish;
    arrived[p] = 1;
    remaining--;
    ctx.bytes += ctx.wireBytes(p);
    ctx.bytesPerDest[0]! += ctx.wireBytes(p);
    ctx.pagesPerDest[0]!++;
    if (ctx.cls[p] === PageClass.zero) ctx.duplicatePages++;
    else ctx.normalPages++;
    const enc = ctx.isEncrypted(ctx.cls[p]!);
    if (enc) {
      ctx.cpu[0]!.seals++;
      ctx.cpu[1]!.opens++;
    }
    const f = flags | (ctx.cls[p] === PageClass.zero ? SendFlag.duplicate : 0) | (enc ? SendFlag.encrypted | SendFlag.opened : 0);
    ctx.trace.send(p, finish + lat, 0, 1, f);
    return finish + lat;
  };

  while (remaining > 0) {
    while (pushAt < n && (arrived[pushAt] || ctx.isUnused(pushAt))) pushAt++;
    const pushDone = linkFree + ctx.wireBytes(pushAt) / bps;
    if (nextTouch <= pushDone) {
      const p = ctx.workload.touch();
      let resumeTouch = nextTouch;
      if (ctx.isUnused(p)) {
        // FCtrans: an unused page needs no data; the guest allocates it here and now.
        ctx.cls[p] = PageClass.anon;
        arrived[p] = 1;
        ctx.trace.fault(p, nextTouch, FaultKind.unusedLocal, 1);
      } else if (!arrived[p]) {
        networkFaults++;
        ctx.trace.fault(p, nextTouch, FaultKind.network, 0);
        const arrival = sendNow(p, nextTouch + lat, SendFlag.requested);
        for (let d = 1; d <= s.migration.prepagePages; d++) {
          const q = p + d;
          if (q < n && !arrived[q] && !ctx.isUnused(q)) sendNow(q, 0, SendFlag.prepaged);
        }
        stall += arrival - nextTouch;
        resumeTouch = arrival;
      } else if (!touched[p]) {
        minorFaults++;
        ctx.trace.fault(p, nextTouch, FaultKind.minor, 1);
      }
      touched[p] = 1;
      nextTouch = resumeTouch + ctx.workload.nextTouchGap(speed);
    } else {
      sendNow(pushAt, 0, 0);
    }
  }
  const end = Math.max(linkFree + lat, resumeAt);
  ctx.account(end - resumeAt, rates, 'main');
  ctx.work -= speed * stall;
  ctx.stall += stall;
  ctx.trace.phases.push({
    kind: 'postcopy', round: 0, start: resumeAt, end, pages: ctx.trace.sends.page.length - sendsFrom,
    bytes: ctx.bytes - bytesBefore, dirtied: 0, skipped: 0, throttle: 0,
    sends: [sendsFrom, ctx.trace.sends.page.length],
    dirties: [ctx.trace.dirties.page.length, ctx.trace.dirties.page.length],
  });
  ctx.now = end;
  return { end, networkFaults, minorFaults, stall };
}
