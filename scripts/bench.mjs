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
