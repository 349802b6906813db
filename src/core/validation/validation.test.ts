/**
 * The model against measured QEMU 7.2 migrations (qemu-7.2/runs.csv): every run's outcome right, every
 * completed run within ±20 % on total time and bytes, post-copy's downtime and page requests of the
 * right order, and the non-converging runs' expected downtime close to QEMU's projection.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareRun, TOLERANCE, validateRuns } from './compare';
import { parseRunsCsv, type MeasuredRun } from './measured-run';

const text = readFileSync(new URL('./qemu-7.2/runs.csv', import.meta.url), 'utf8');
const parsed = parseRunsCsv(text);
if (!parsed.ok) throw new Error(parsed.error);
const runs = parsed.runs;
const rows = validateRuns(runs);

describe('the measured QEMU runs', () => {
  it('should be read in full: 20 runs, 10 cells of two repetitions', () => {
    expect(runs).toHaveLength(20);
    expect(new Set(runs.map((r) => r.tag.replace(/-\d$/, ''))).size).toBe(10);
  });

  it.each(rows.map((r) => [r.run.tag, r] as const))('should predict %s with the right outcome', (_tag, r) => {
    expect(r.predicted.status).toBe(r.run.status);
  });

  it.each(rows.filter((r) => r.run.status === 'completed').map((r) => [r.run.tag, r] as const))(
    'should predict %s within ±20 % on total time and bytes',
    (_tag, r) => {
      expect(Math.abs(r.timeError!)).toBeLessThanOrEqual(TOLERANCE);
      expect(Math.abs(r.bytesError!)).toBeLessThanOrEqual(TOLERANCE);
    },
  );

  it('should keep post-copy downtime to milliseconds and page requests to tens, as QEMU does', () => {
    const post = rows.filter((r) => r.run.mode === 'postcopy');
    expect(post.length).toBeGreaterThan(0);
    for (const r of post) {
      expect(r.predicted.downtimeMs).toBeLessThan(10);
      expect(r.predicted.postcopyRequests).toBeGreaterThanOrEqual(r.run.postcopyRequests! / 3);
      expect(r.predicted.postcopyRequests).toBeLessThanOrEqual(r.run.postcopyRequests! * 3);
    }
  });

  it("should project the non-converging runs' expected downtime within 15 % of QEMU's", () => {
    for (const r of rows.filter((x) => x.run.status === 'cancelled')) {
      expect(Math.abs(r.predicted.expectedDowntimeMs! / r.run.expectedDowntimeMs! - 1)).toBeLessThan(0.15);
    }
  });

  it('should keep the throttled runs\u2019 downtime near QEMU\u2019s ~10 ms: the throttle is lifted when the VM stops', () => {
    for (const r of rows.filter((x) => x.run.status === 'completed' && x.run.bw < 1000)) {
      expect(r.predicted.downtimeMs).toBeLessThan(30);
      expect(r.run.downtimeMs!).toBeLessThan(30);
    }
  });

  it('should count dirty-log syncs as QEMU does, within two of the measured count', () => {
    for (const r of rows.filter((x) => x.run.status === 'completed' && x.run.wl !== 'write')) {
      expect(Math.abs(r.predicted.syncs - r.run.syncs!)).toBeLessThanOrEqual(2);
    }
  });

  it('should give the same verdicts for other seeds: the fit is not one layout of memory', () => {
    for (const seed of [7, 99]) {
      for (const run of runs) {
        const r = compareRun(run, undefined, seed);
        expect(r.withinTolerance).toBe(true);
      }
    }
  });
});

describe('reading measured runs', () => {
  const header = text.split('\n')[0]!;
  const line = text.split('\n')[1]!;

  it('should name the line and column of a malformed value', () => {
    const bad = `${header}\n${line.replace(',write,', ',wrote,').replace(',idle,', ',wrote,')}`;
    const r = parseRunsCsv(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^line 2, column wl: must be idle, write or read/);
  });

  it('should refuse a file without the columns it needs', () => {
    const r = parseRunsCsv('tag,wl\nx,idle\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/header lacks ws, rate/);
  });

  it('should take empty figures of a cancelled run as unknown, not zero', () => {
    const cancelled = runs.find((r: MeasuredRun) => r.status === 'cancelled')!;
    expect(cancelled.downtimeMs).toBeNull();
    expect(cancelled.normal).toBeNull();
    expect(cancelled.expectedDowntimeMs).toBeGreaterThan(0);
  });
});
