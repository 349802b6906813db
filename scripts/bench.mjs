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
  await page.goto(`http://127.0.0.1:4174/bench.html?frame=${process.env.FRAME_PAGES ?? 16}&channels=${process.env.CHANNELS ?? 0}${process.env.ONLY ? `&only=${process.env.ONLY}` : ''}`);
  await page.locator('#results[data-done="1"]').waitFor({ timeout: 300_000 });
  const r = JSON.parse(await page.locator('#results').textContent());
  await browser.close();
  for (const line of r.lines) console.log(line);
} finally {
  process.kill(-server.pid);
}
