/**
 * Post-copy as QEMU runs it: the VM resumes on the destination after its vCPU and device state; the
 * source pushes the remaining pages unthrottled (max-postcopy-bandwidth is unlimited by default),
 * scanning on from where it stood. A vCPU that touches a page not yet there blocks: its fault becomes a
 * page request, the source sends that page next and carries its scan on from it (`last_page`), and the
 * page arrives behind whatever is already queued in the socket buffers — unless urgent pages have their
 * own channel (postcopy-preempt; Yabusame, used by Hu et al.). A first touch of a page that has arrived
 * is a minor fault. Every page is sent at most once.
 */
import type { RunContext } from '../run-context';
import { FaultKind, SendFlag } from '../trace';
import { PageClass } from '../page-class';
import type { PageRun } from '../pipe';
import { takeBits } from '../bitmap';
import { addCounts, addLanes } from '../histogram';

/** Pages a batched push takes from the scan at a time (scratch length; any size gives the same run). */
const PUSH_RUN = 256;

export interface PostcopyResult {
  end: number;
  /** Page requests (QEMU's postcopy-requests): faults on pages not yet received. */
  networkFaults: number;
  minorFaults: number;
  stall: number;
}

/**
 * `arrived[p]` = 1 for pages already on the destination (sent in pre-copy rounds and clean).
 * `scanFrom` is where the source's scan stands.
 */
export function postcopy(ctx: RunContext, arrived: Uint8Array, resumeAt: number, scanFrom = 0): PostcopyResult {
  const s = ctx.s;
  const n = ctx.pageCount;
  const cls = ctx.cls;
  const lat = ctx.cost.links[0]!.latencyS;
  const pc = ctx.cost.perClass;
  const sendsFrom = ctx.trace.sends.page.length;
  const sentBefore = ctx.trace.sent;
  const bytesBefore = ctx.bytes;
  const mix = ctx.s.destinations.map(() => new Float64Array(8));
  let remaining = 0;
  const mix0 = mix[0]!;
  // Pages written to the stream and when each arrives (Infinity: not written yet), and the same as a
  // bitmap of pages still to write, which the push scan walks a word at a time (QEMU's find_next_bit).
  const arrivalAt = new Float64Array(n);
  const unwritten = new Uint32Array((n + 31) >>> 5);
  const skipUnused = ctx.skipUnused;
  const lanes = new Int32Array(32);
  for (let p = 0; p < n; p++) {
    if (arrived[p]) {
      arrivalAt[p] = resumeAt;
      continue;
    }
    arrivalAt[p] = Infinity;
    unwritten[p >>> 5]! |= 1 << (p & 31);
    if (skipUnused && cls[p] === PageClass.free) continue;
    remaining++;
    // Four lanes of counts (a run of one class would chain every increment on one slot).
    lanes[((p & 3) << 3) + cls[p]!]!++;
  }
  addLanes(lanes, mix0);
  const rates = ctx.ratesForMix(mix, 'main');
  const timing = rates.streams[0];
  const speed = rates.workloadSpeed;
  const pipe = ctx.pipes[0]!;
  pipe.idleUntil(resumeAt);
  let urgentFree = resumeAt;
  const touched = new Uint8Array(n);
  // Without an urgent channel every page goes through one FIFO pipe, so sends arrive in the order they
  // are written and go straight into the trace. With one (postcopy-preempt) they may overtake each
  // other: kept here and sorted into the trace at the end.
  const preempt = s.migration.postcopyPreempt || ctx.cost.testbed.urgentChannel;
  // Every page is written at most once, so `remaining` bounds the sends: the trace's columns are
  // reserved once and written directly (with preemption into scratch arrays, sorted in at the end).
  const bound = remaining;
  const direct = preempt ? null : ctx.trace.reserveSends(bound);
  const sPage = direct ? direct.page : new Uint32Array(bound);
  const sTime = direct ? direct.time : new Float64Array(bound);
  const sFlags = direct ? direct.flags : new Uint8Array(bound);
  const base = direct ? direct.at : 0;
  let sent = 0;
  const perClass = new Float64Array(pc.pageBytes.length);
  let seals = 0;
  // Each class's flags as sent: a zero marker, or sealed (and opened where the destination opens).
  const classFlags = new Uint8Array(pc.pageBytes.length);
  for (let c = 0; c < classFlags.length; c++) {
    const enc = pc.sealed[c] === 1;
    classFlags[c] = (c === PageClass.zero ? SendFlag.duplicate : 0) | (enc ? SendFlag.encrypted | (ctx.opens[0] ? SendFlag.opened : 0) : 0);
  }
  const opened = ctx.opens[0];
  let scan = scanFrom % Math.max(1, n);
  let networkFaults = 0;
  let minorFaults = 0;
  let stall = 0;
  let last = resumeAt;
  let nextTouch = resumeAt + ctx.workload.nextTouchGap(speed);

  const write = (p: number, from: number, flags: number, urgent: boolean): number => {
    const c = cls[p]!;
    let at: number;
    if (urgent) {
      // Its own socket, so it skips the queue in the stream's buffers — but not the wire it shares.
      const start = Math.max(from, urgentFree);
      urgentFree = start + timing!.up[c]!;
      at = pipe.overtake(urgentFree, timing!.down[c]!, delay);
    } else at = pipe.send(timing!.up[c]!, timing!.down[c]!, pc.wireBytes[c]!, from, preempt ? sent : -1);
    arrivalAt[p] = at;
    unwritten[p >>> 5]! &= ~(1 << (p & 31));
    last = Math.max(last, at);
    remaining--;
    perClass[c]!++;
    const j = base + sent++;
    sPage[j] = p;
    sTime[j] = at;
    sFlags[j] = flags | classFlags[c]!;
    return at;
  };
  /** A queued page an urgent one overtook on the wire arrives that much later. */
  const delay = (tag: number, by: number): void => {
    const at = (sTime[tag]! += by);
    arrivalAt[sPage[tag]!] = at;
    last = Math.max(last, at);
  };
  /** The next page still to write at or after `from`, cyclically; −1 when none is left. */
  const nextUnwritten = (from: number): number => {
    const words = unwritten.length;
    let w = from >>> 5;
    let bits = unwritten[w]! & (~0 << (from & 31));
    for (let k = 0; k <= words; k++) {
      if (bits !== 0) {
        const p = (w << 5) + 31 - Math.clz32(bits & -bits);
        if (p < n) return p;
      }
      if (++w === words) w = 0;
      bits = unwritten[w]!;
    }
    return -1;
  };
  /** As a page-by-page walk from the scan finds it: the first page (cyclically) not written yet and not unused. */
  const nextPush = (): number => {
    let from = scan;
    let walked = 0;
    for (;;) {
      const p = nextUnwritten(from);
      if (p < 0) return -1;
      walked += (p >= from ? p - from : p + n - from) + 1;
      if (walked > n) return -1;
      if (!ctx.isUnused(p)) return (scan = p);
      from = p + 1 === n ? 0 : p + 1;
    }
  };

  // Without preemption the push goes in runs: the pages the scan would take next, through the pipe in
  // one call (Pipe.sendRun) that stops before the first page that could start only once the guest's next
  // touch is due — then the touch, exactly where the page-by-page loop below would take it.
  const batched = direct !== null && !!timing;
  let qPos = 0;
  let qLen = 0;
  const next = new Uint32Array(batched ? PUSH_RUN : 0);
  const run: PageRun | null = batched
    ? {
        pages: next, cls, touchAt: null, touchedClass: null, up: timing!.up, down: timing!.down, wire: pc.wireBytes,
        maxWire: Math.max(...pc.wireBytes), arrivals: sTime, at: base,
        written: new Float64Array(PUSH_RUN), classes: new Uint8Array(PUSH_RUN),
      }
    : null;

  /** Up to `want` pages the push takes next, in order, if nothing else is written meanwhile (what nextPush would return one after another): the bitmap from the scan to the end, then from the start. */
  const nextPushes = (want: number): number => {
    const k = takeBits(unwritten, scan, n, cls, skipUnused, next, 0, want);
    return k < want ? takeBits(unwritten, 0, scan, cls, skipUnused, next, k, want) : k;
  };

  while (remaining > 0) {
    let p: number;
    let pushAt: number;
    if (batched) {
      // The queue holds the pages the scan takes next, next[qPos..qLen): still valid after a touch that
      // writes nothing (a hit or a minor fault), refilled from the scan when used up or when a request moved it.
      if (qPos === qLen) {
        qLen = nextPushes(PUSH_RUN);
        qPos = 0;
        if (qLen === 0) break;
      }
      run!.at = base + sent - qPos;
      const i = pipe.sendRun(run!, qPos, qLen, nextTouch, true);
      if (i >= 0) {
        const classes = run!.classes;
        // In locals: the closures above capture `sent` and `last`, which would cost a memory access a page.
        const at0 = base + sent - qPos;
        let latest = last;
        for (let j = qPos; j < i; j++) {
          const q = next[j]!;
          const c = classes[j - qPos]!;
          const at = sTime[at0 + j]!;
          arrivalAt[q] = at;
          unwritten[q >>> 5]! &= ~(1 << (q & 31));
          if (at > latest) latest = at;
          sPage[at0 + j] = q;
          sFlags[at0 + j] = classFlags[c]!;
        }
        addCounts(classes, 0, i - qPos, perClass);
        last = latest;
        sent += i - qPos;
        remaining -= i - qPos;
        qPos = i;
        if (i === qLen) {
          scan = next[qLen - 1]!;
          continue;
        }
        // The next page waits for the guest's touch (nextTouch ≤ when it could be written).
        scan = next[i]!;
        p = next[i]!;
        pushAt = nextTouch;
      } else {
        p = nextPush();
        pushAt = pipe.writeReady(pc.wireBytes[cls[p]!]!);
        qPos = qLen = 0;
      }
    } else {
      p = nextPush();
      if (p < 0) break;
      pushAt = pipe.writeReady(pc.wireBytes[cls[p]!]!);
    }
    if (nextTouch <= pushAt) {
      const q = ctx.workload.touch();
      let resume = nextTouch;
      if (ctx.isUnused(q)) {
        // FCtrans: an unused page needs no data; the guest allocates it here and now.
        cls[q] = PageClass.anon;
        if (arrivalAt[q] === Infinity) remaining--;
        arrivalAt[q] = nextTouch;
        unwritten[q >>> 5]! &= ~(1 << (q & 31));
        ctx.trace.fault(q, nextTouch, FaultKind.unusedLocal, 1);
      } else if (arrivalAt[q]! > nextTouch) {
        // Not here yet: the vCPU blocks and the destination asks for the page.
        networkFaults++;
        ctx.trace.fault(q, nextTouch, FaultKind.network, 0);
        if (arrivalAt[q] === Infinity) {
          qPos = qLen = 0;
          write(q, nextTouch + lat, SendFlag.requested, preempt);
          for (let d = 1, sent = 0; sent < s.migration.prepagePages && d < n; d++) {
            const r = (q + d) % n;
            if (arrivalAt[r] !== Infinity || ctx.isUnused(r)) continue;
            write(r, nextTouch + lat, SendFlag.prepaged, preempt);
            sent++;
          }
          // QEMU carries its scan on from the requested page.
          if (!preempt) scan = (q + 1) % n;
        }
        resume = arrivalAt[q]!;
        stall += resume - nextTouch;
      } else if (!touched[q]) {
        minorFaults++;
        ctx.trace.fault(q, nextTouch, FaultKind.minor, 1);
      }
      touched[q] = 1;
      nextTouch = resume + ctx.workload.nextTouchGap(speed);
    } else {
      write(p, pushAt, 0, false);
    }
  }
  if (direct) {
    direct.from.fill(0, base, base + sent);
    direct.to.fill(1, base, base + sent);
    ctx.trace.commitSends(sent);
  } else {
    // Into the trace in arrival order (stable: equal times keep sending order).
    const order = Array.from({ length: sent }, (_, i) => i).sort((a, b) => sTime[a]! - sTime[b]! || a - b);
    for (const i of order) ctx.trace.send(sPage[i]!, sTime[i]!, 0, 1, sFlags[i]!);
  }
  // Counted per class (integers: exact in any order).
  for (let c = 0; c < perClass.length; c++) {
    const b = perClass[c]! * pc.pageBytes[c]!;
    ctx.bytes += b;
    ctx.bytesPerDest[0]! += b;
  }
  ctx.pagesPerDest[0]! += sent;
  ctx.duplicatePages += perClass[PageClass.zero]!;
  ctx.normalPages += sent - perClass[PageClass.zero]!;
  for (let c = 0; c < perClass.length; c++) seals += perClass[c]! * pc.sealed[c]!;
  ctx.cpu[0]!.seals += seals;
  if (opened) ctx.cpu[1]!.opens += seals;
  const end = Math.max(last, resumeAt);
  ctx.busyUntil[0] = end;
  ctx.account(end - resumeAt, rates, 'main');
  ctx.work -= speed * stall;
  ctx.stall += stall;
  ctx.trace.phases.push({
    kind: 'postcopy', round: 0, start: resumeAt, end, pages: ctx.trace.sent - sentBefore,
    bytes: ctx.bytes - bytesBefore, dirtied: 0, skipped: 0, throttle: 0,
    sends: [sendsFrom, ctx.trace.sends.page.length],
    dirties: [ctx.trace.dirties.page.length, ctx.trace.dirties.page.length],
  });
  ctx.now = end;
  return { end, networkFaults, minorFaults, stall };
}
