/**
 * Sending to one destination: each page through the stream's pipe (source thread, socket buffers,
 * link, receiver), with times, counters and trace columns written in one pass, and QEMU's pending
 * check once per iteration so a round can end early and sync.
 */
import { PageClass } from './page-class';
import type { PhaseRates, VmPlace } from './phase-rates';
import type { RunContext, SendOptions, SendResult } from './run-context';
import { SendFlag } from './trace';
import type { Pipe, PageRun } from './pipe';
import { PAGE_SIZE } from './units';
import { addCounts } from './histogram';

const ZERO = PageClass.zero;
const FLAG_ENC = SendFlag.encrypted;
const FLAG_OPENED = SendFlag.opened;

/** One destination: each page through the stream's pipe, times, counters and trace columns in one pass. */
export function sendSingle(ctx: RunContext, pages: Uint32Array, count: number, t0: number, vmOn: VmPlace, rates: PhaseRates, opts: SendOptions): SendResult {
  const timing = rates.streams[0]!;
  const { at, page: P, time: T, from: F, to: D, flags: G } = ctx.trace.reserveSends(count);
  const pc = ctx.cost.perClass;
  const pageBytes = pc.pageBytes;
  const sealedOf = pc.sealed;
  const up = timing.up;
  const flagsOf = ctx.flagsByClass;
  const extra = opts.flags ?? 0;
  const opened = ctx.opens[0] ? FLAG_OPENED : 0;
  const pipe = ctx.pipes[0]!;
  const window = ctx.window;
  const limit = opts.downtimeLimitS;
  const every = opts.checkEveryS ?? 0.05;
  let nextCheck = t0 + every;
  pipe.idleUntil(t0);
  let arrival = t0;
  let k = 0;
  let bandwidth = 0;
  // qemu-kvm 0.12's estimate (see CostModel.bandwidthEstimate): every page as 4 KiB over the time spent queueing it.
  const busyTime = ctx.cost.bandwidthEstimate === 'busy-time';
  let counted = 0;
  let queueing = 0;
  // A headless run keeps only the arrival times the loop itself reads.
  const keep = ctx.trace.keep;
  const perClass = new Float64Array(flagsOf.length);
  // Each class's flags for this call: encrypted, opened by the receiver where it opens, the caller's.
  const flagOf = new Uint8Array(flagsOf.length);
  for (let c = 0; c < flagOf.length; c++) {
    const f = flagsOf[c]!;
    flagOf[c] = extra | f | (f & FLAG_ENC ? opened : 0);
  }
  const run = runFor(ctx, pages, timing, T, at, Math.min(count, CHUNK));
  const written = run.written;
  const classes = run.classes;
  while (k < count) {
    // A chunk of pages through the pipe in one call (stopping at the next pending check), then the
    // per-page bookkeeping over it; page by page only where the pipe cannot batch (see Pipe.sendRun).
    const end = Math.min(count, k + CHUNK);
    let next = pipe.sendRun(run, k, end, limit === undefined ? Infinity : nextCheck);
    if (next < 0) next = sendEach(run, pipe, k, limit === undefined ? end : k + 1);
    if (keep) {
      P.set(pages.subarray(k, next), at + k);
      for (let i = k; i < next; i++) G[at + i] = flagOf[classes[i - k]!]!;
    }
    // Counted per class (bytes and counts are integers: the sums are exact in any order).
    addCounts(classes, 0, next - k, perClass);
    window.addAll(written, classes, pageBytes, next - k);
    // The estimate's own sum is of seconds, kept in page order as 0.12 added them.
    if (busyTime) for (let i = k; i < next; i++) queueing += up[classes[i - k]!]!;
    counted += busyTime ? (next - k) * PAGE_SIZE : 0;
    k = next;
    arrival = T[at + k - 1]!;
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
  if (keep) {
    F.fill(0, at, at + k);
    D.fill(1, at, at + k);
  }
  let bytes = 0;
  let sealed = 0;
  for (let c = 0; c < pageBytes.length; c++) {
    bytes += perClass[c]! * pageBytes[c]!;
    sealed += perClass[c]! * sealedOf[c]!;
  }
  const duplicates = perClass[ZERO]!;
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

/** Pages per call into the pipe: the scratch arrays' length. */
const CHUNK = 4096;

function runFor(ctx: RunContext, pages: Uint32Array, timing: PhaseRates['streams'][number] & object, arrivals: Float64Array, at: number, chunk: number): PageRun {
  const wire = ctx.cost.perClass.wireBytes;
  // A page the still-allocating program touched before the scan met it goes as data, not as a zero marker.
  const ft = ctx.firstTouch;
  return {
    pages,
    cls: ctx.cls,
    touchAt: ft ? ft.touchAt : null,
    touchedClass: ft ? ft.classOf : null,
    up: timing.up,
    down: timing.down,
    wire,
    maxWire: Math.max(...wire),
    arrivals,
    at,
    written: scratch.written.length >= chunk ? scratch.written : (scratch.written = new Float64Array(CHUNK)),
    classes: scratch.classes.length >= chunk ? scratch.classes : (scratch.classes = new Uint8Array(CHUNK)),
  };
}

/** Reused across calls (the core is single-threaded per realm; a run never nests sends). */
const scratch = { written: new Float64Array(0), classes: new Uint8Array(0) };

/** Page by page through `Pipe.send` (a page larger than the buffers, or a tagged stream), filling the run's outputs like `sendRun`. */
function sendEach(r: PageRun, pipe: Pipe, k: number, end: number): number {
  for (let i = k; i < end; i++) {
    const p = r.pages[i]!;
    const c = r.touchAt !== null && r.touchAt[p]! <= pipe.up ? r.touchedClass![p]! : r.cls[p]!;
    r.arrivals[r.at + i] = pipe.send(r.up[c]!, r.down[c]!, r.wire[c]!);
    r.written[i - k] = pipe.up;
    r.classes[i - k] = c;
  }
  return end;
}
