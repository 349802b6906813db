// Runs the benchmarks. The core bench is bundled to plain ESM first (as Vite ships it to browsers),
// so module-loader shims do not distort the figures; the browser bench runs in headless Chromium.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = join(mkdtempSync(join(tmpdir(), 'migrascope-bench-')), 'core.bench.mjs');
await build({ entryPoints: ['bench/core.bench.ts'], bundle: true, format: 'esm', platform: 'node', outfile: out, logLevel: 'warning' });
const only = process.argv[2];
const core = spawnSync(process.execPath, ['--max-old-space-size=4096', out, ...(only ? [only] : [])], { stdio: 'inherit' });
if (core.status !== 0) process.exit(core.status ?? 1);

// Browser half: the production build in headless Chromium (Debian's, or CHROMIUM_PATH).
if (only && !'browser'.includes(only)) process.exit(0);
const { chromium } = await import('@playwright/test');
const { spawn } = await import('node:child_process');
const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', '4174', '--strictPort'], { stdio: 'ignore', detached: true });
try {
  await new Promise((r) => setTimeout(r, 1500));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`http://127.0.0.1:4174/bench.html?frame=${process.env.FRAME_PAGES ?? 16}`);
  await page.locator('#results[data-done="1"]').waitFor({ timeout: 300_000 });
  const r = JSON.parse(await page.locator('#results').textContent());
  await browser.close();
  const n = (x) => Math.round(x).toLocaleString('en');
  if (r.error) console.log(`browser bench failed: ${r.error}`);
  console.log(`AES-GCM seal in one worker (this Chromium)\n  per 4 KiB page: ${n(r.sealPerPage.pagesPerSecond)} pages/s (${r.sealPerPage.microsPerCall.toFixed(1)} µs per call)\n  per 16-page frame: ${n(r.sealPerFrame16.pagesPerSecond)} pages/s (${r.sealPerFrame16.microsPerCall.toFixed(1)} µs per call)\n  per 16-page frame, sealing distinct bytes of a 512 MiB image: ${n(r.sealPerFrame16Cold.pagesPerSecond)} pages/s\n  whole record path (header, derived key, sealRecord), 16-page frames: ${n(r.recordSeal16.pagesPerSecond)} pages/s (${r.recordSeal16.microsPerCall.toFixed(1)} µs per record; ${r.recordSeal16.noCopyMicros.toFixed(1)} µs without the final copy)\n  two workers sealing 16-page frames at once: ${n(r.sealTwoWorkers.pagesPerSecond)} pages/s combined`);
  const p = r.pipeline;
  if (p) console.log(`Full pipeline, 1 GiB VM (seal in source → link → open and store in destination, ${p.framePages}-page frames)\n  ${n(p.pages)} pages in ${(p.transferMs / 1000).toFixed(2)} s = ${n(p.pagesPerSecond)} pages/s (${((p.pagesPerSecond / r.sealPerFrame16.pagesPerSecond) * 100).toFixed(0)} % of raw single-worker sealing); host start-up ${(p.setupMs / 1000).toFixed(2)} s; verify ${(p.verifyMs / 1000).toFixed(2)} s; verified: ${p.verified}\n  busy time per host (send/receive/of which sealing ms): ${p.busyMs.map((b) => `${b.send}/${b.receive}/${b.crypto}`).join(', ')}`);
  const g = r.grid;
  if (g) console.log(`Stage grids, ${n(g.pages)} pages × ${g.grids} grids animating\n  ${g.fps} frames/s over ${g.frames} frames; frame gap p95 ${g.frameGapP95Ms} ms; paint+seek median ${g.drawMsMedian} ms, p95 ${g.drawMsP95} ms`);
} finally {
  process.kill(-server.pid);
}
