/**
 * The controlled-start series (qemu-7.2-v2/runs.csv): the model with the figures fitted to it gets every
 * outcome right and at least 80 % of completed runs within ±20 % (or inside their cell's measured
 * spread, widened by 15 %). The second series' columns are read (guest memory, multifd channels), and the
 * cells the first series never had — 512 MiB, two channels — run with no new constant. The out-of-sample
 * figure (leave one cell out) is `npm run validate -- --cv`: minutes, so not a test; its last result is
 * kept in cv-summary.json and checked here against the data it describes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateRuns } from './compare';
import { parseRunsCsv } from './measured-run';
import { SERIES } from './qemu-testbed';
import { cellOf, score } from './fit';

const parsed = parseRunsCsv(readFileSync(new URL('./qemu-7.2-v2/runs.csv', import.meta.url), 'utf8'));
if (!parsed.ok) throw new Error(parsed.error);
const runs = parsed.runs;
const rows = validateRuns(runs, SERIES.v2);

describe('the controlled-start QEMU runs', () => {
  it('should read the second series in full, with its memory and channel columns', () => {
    expect(runs).toHaveLength(24);
    expect(new Set(runs.map((r) => cellOf(r.tag))).size).toBe(12);
    expect(runs.filter((r) => r.mem === 512)).toHaveLength(2);
    expect(runs.filter((r) => r.channels === 2)).toHaveLength(2);
  });

  it('should get every outcome right and ≥ 80 % of completed runs within ±20 % or their spread', () => {
    const s = score(rows, runs);
    expect(s.outcomes).toBe(s.runs);
    expect(s.within / s.completed).toBeGreaterThanOrEqual(0.8);
  });

  it('should read a mode=autoconverge run and give it the auto-converge capability', () => {
    const csv = 'tag,wl,ws,rate,bw,downtime_limit,mode,tls,status,gave_up,total_ms,downtime_ms,expected_downtime_ms,transferred,normal,duplicate,rounds,mbps,postcopy_requests\nac-1,write,64,0,32,300,autoconverge,0,completed,False,106000,30,,1,1,1,40,1,0\n';
    const p = parseRunsCsv(csv);
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    const [r] = validateRuns(p.runs, SERIES.v2);
    expect(r!.scenario.migration.autoConverge).toBe(true);
    expect(r!.scenario.migration.maxTotalS).toBe(120);
  });

  it('should refuse a bad mem or channels column by line and column', () => {
    const head = 'tag,wl,ws,rate,bw,downtime_limit,mode,tls,status,gave_up,total_ms,downtime_ms,expected_downtime_ms,transferred,normal,duplicate,rounds,mbps,postcopy_requests,mem,channels\n';
    const p = parseRunsCsv(`${head}a-1,idle,0,0,32,300,precopy,0,completed,False,1,1,,1,1,1,3,1,0,huge,1\n`);
    expect(p.ok ? '' : p.error).toMatch(/line 2, column mem/);
  });

  it('should keep an out-of-sample summary that describes this data', () => {
    const summary = JSON.parse(readFileSync(new URL('./cv-summary.json', import.meta.url), 'utf8')) as Record<string, { runs: number; outOfSample: { completed: number; within: number; outcomes: number } }>;
    expect(summary['qemu-7.2-v2']!.runs).toBe(runs.length);
    expect(summary['qemu-7.2-v2']!.outOfSample.completed).toBe(runs.filter((r) => r.status === 'completed').length);
  });
});
