// Runs the benchmarks. The core bench is bundled to plain ESM first (as Vite ships it to browsers),
// so module-loader shims do not distort the figures; the browser bench runs in headless Chromium.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = join(mkdtempSync(join(tmpdir(), 'migrascope-bench-')), 'core.bench.mjs');
await build({ entryPoints: ['bench/node/core.bench.ts'], bundle: true, format: 'esm', platform: 'node', outfile: out, logLevel: 'warning' });
const only = process.argv[2];
const core = spawnSync(process.execPath, ['--max-old-space-size=4096', '--expose-gc', out, ...(only ? [only] : [])], { stdio: 'inherit' });
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
  await page.goto(`http://127.0.0.1:4174/bench.html?frame=${process.env.FRAME_PAGES ?? 16}&channels=${process.env.CHANNELS ?? 0}${process.env.ONLY ? `&only=${process.env.ONLY}` : ''}`);
  await page.locator('#results[data-done="1"]').waitFor({ timeout: 300_000 });
  const r = JSON.parse(await page.locator('#results').textContent());
  for (const line of r.lines) console.log(line);
  if (!process.env.ONLY || process.env.ONLY === 'what-if') for (const line of await stageLatency(browser)) console.log(line);
  await browser.close();
} finally {
  process.kill(-server.pid);
}

/**
 * The stage's what-if latency, on the built app as a learner meets it: a slider on the stage is moved,
 * and the clock stops when the stage shows the new run (its fingerprint changed) and two frames have
 * been painted since. Median of 7 for the first-look VM and a 1 GiB VM.
 */
async function stageLatency(browser) {
  const out = ['What-if on the stage: slider moved → new run drawn (median of 7)'];
  for (const [label, preset, target] of [['first-look VM (256 MiB)', 'first-look', 150], ['1 GiB VM (hu-precopy-aes)', 'hu-precopy-aes', 400]]) {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`http://127.0.0.1:4174/?preset=${preset}`);
    await page.getByTestId('fingerprint').waitFor({ state: 'attached', timeout: 60_000 });
    const times = [];
    for (let i = 0; i < 7; i++) {
      times.push(
        await page.evaluate(async (step) => {
          const slider = [...document.querySelectorAll('input[type=range]')].find((el) => el.labels?.[0]?.textContent === 'Link bandwidth');
          const print = () => document.querySelector('[data-testid=fingerprint]')?.textContent;
          const before = print();
          const t0 = performance.now();
          slider.value = String(Number(slider.value) + (step % 2 ? 3 : -3));
          slider.dispatchEvent(new Event('input', { bubbles: true }));
          await new Promise((resolve) => {
            const check = () => (print() !== before ? resolve() : requestAnimationFrame(check));
            check();
          });
          await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          return performance.now() - t0;
        }, i),
      );
    }
    times.sort((a, b) => a - b);
    out.push(`  ${label}: ${times[3].toFixed(0)} ms (best ${times[0].toFixed(0)} ms)   target ≤ ${target} ms`);
    await page.close();
  }
  return out;
}
