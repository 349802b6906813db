/**
 * The browser benchmark (npm run bench opens this page in headless Chromium): real WebCrypto cost in a
 * host worker, the whole seal → link → open pipeline on a 1 GiB VM, and the stage's grid frame rate
 * while 262,144 pages animate. Figures only; nothing here is a pass/fail test.
 */
import { wrap } from 'comlink';
import { mustResolve, Playback, simulate } from '../core/index';
import type { Host } from '../../workers/host/host';
import { HostWorkers } from '../app/host-workers';
import { DataPlane } from '../runtime/data-plane';
import { gridShape, paintGrid } from '../app/paint-grid';

const out = document.getElementById('results')!;
const results: Record<string, unknown> = {};
const frame = (): Promise<number> => new Promise((r) => requestAnimationFrame(r));

async function sealThroughput(): Promise<void> {
  const w = new Worker(new URL('../../workers/host.worker.ts', import.meta.url), { type: 'module' });
  const host = wrap<Host>(w);
  results.sealPerPage = await host.measureSeal(1, 20_000);
  results.sealPerFrame16 = await host.measureSeal(16, 131_072);
  results.sealPerFrame16Cold = await host.measureSeal(16, 131_072, true);
  results.recordSeal16 = await host.measureRecordSeal(16, 131_072);
  w.terminate();
  // Two workers sealing at once: do they add up (crypto on each worker's own thread) or share?
  const pair = [0, 1].map(() => new Worker(new URL('../../workers/host.worker.ts', import.meta.url), { type: 'module' }));
  const both = await Promise.all(pair.map((x) => wrap<Host>(x).measureSeal(16, 131_072)));
  pair.forEach((x) => x.terminate());
  results.sealTwoWorkers = { pagesPerSecond: both.reduce((a, r) => a + r.pagesPerSecond, 0) };
}

const framePages = Number(new URLSearchParams(location.search).get('frame') ?? 16);

async function pipeline(): Promise<void> {
  const run = simulate(
    mustResolve({
      vm: { memoryMiB: 1024, composition: { free: 0.3, zero: 0, kernelCode: 0.02, kernelData: 0.08, pageCache: 0.3, anon: 0.3 } },
      workload: { kind: 'idle' },
      migration: { algorithm: 'stop-and-copy' },
    }),
  );
  let failure: string | null = null;
  const workers = new HostWorkers((m) => (failure = m));
  const t0 = performance.now();
  const dp = await DataPlane.create(run, { framePages, createHost: workers.create, disposeHost: workers.dispose });
  const t1 = performance.now();
  await dp.play();
  const t2 = performance.now();
  const v = await dp.verify();
  const t3 = performance.now();
  const report = await dp.report(t2 - t1, v);
  dp.dispose();
  const pages = run.trace.sends.page.length;
  results.pipeline = {
    pages,
    framePages,
    setupMs: Math.round(t1 - t0),
    transferMs: Math.round(t2 - t1),
    pagesPerSecond: Math.round(pages / ((t2 - t1) / 1000)),
    verifyMs: Math.round(t3 - t2),
    verified: v.verified,
    failure,
    busyMs: report.hosts.map((h) => ({ send: Math.round(h.sendMs), receive: Math.round(h.receiveMs), crypto: Math.round(h.cryptoMs) })),
  };
}

async function gridFps(): Promise<void> {
  const run = simulate(mustResolve({ workload: { kind: 'write', workingSetMiB: 128 } }));
  const pb = new Playback(run.trace);
  const shape = gridShape(run.trace.pageCount);
  const ctxs = ['g0', 'g1'].map((id) => (document.getElementById(id) as HTMLCanvasElement).getContext('2d')!);
  const images = ctxs.map(() => new ImageData(shape.cols, shape.rows));
  const start = run.trace.phases[0]!.start;
  const span = run.trace.endTime - start;
  const gaps: number[] = [];
  const work: number[] = [];
  let last = await frame();
  const until = last + 4000;
  for (let now = last; now < until; ) {
    const w0 = performance.now();
    pb.seek(start + (((now - (until - 4000)) / 4000) * span));
    images.forEach((img, i) => {
      paintGrid(new Uint32Array(img.data.buffer), shape, pb, run.trace, i, span / 120, null);
      ctxs[i]!.putImageData(img, 0, 0);
    });
    work.push(performance.now() - w0);
    now = await frame();
    gaps.push(now - last);
    last = now;
  }
  gaps.sort((a, b) => a - b);
  work.sort((a, b) => a - b);
  const pct = (a: number[], q: number): number => +a[Math.min(a.length - 1, Math.floor(a.length * q))]!.toFixed(2);
  results.grid = {
    pages: run.trace.pageCount,
    grids: 2,
    frames: gaps.length,
    fps: +(1000 / (gaps.reduce((a, b) => a + b, 0) / gaps.length)).toFixed(1),
    frameGapP95Ms: pct(gaps, 0.95),
    drawMsMedian: pct(work, 0.5),
    drawMsP95: pct(work, 0.95),
  };
}

try {
  await sealThroughput();
  await pipeline();
  await gridFps();
} catch (e) {
  results.error = (e as Error).message;
}
out.textContent = JSON.stringify(results);
out.dataset.done = '1';
