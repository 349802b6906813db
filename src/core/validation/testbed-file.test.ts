/** Your testbed described in a file: read as hostile input, and used exactly as the shipped series are. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateRuns } from './compare';
import { parseRunsCsv } from './measured-run';
import { scenarioForRun, SERIES } from './qemu-testbed';
import { parseTestbedFile, seriesForTestbed } from './testbed-file';

const shipped = readFileSync(new URL('./qemu-7.2-v2/testbed.json', import.meta.url), 'utf8');
const csv = readFileSync(new URL('./qemu-7.2-v2/runs.csv', import.meta.url), 'utf8');

describe('testbed description file', () => {
  it('should describe the shipped controlled-start testbed so that its 256 MiB runs predict exactly as the shipped series does', () => {
    const t = parseTestbedFile(shipped);
    expect(t.ok).toBe(true);
    if (!t.ok) return;
    const runs = parseRunsCsv(csv);
    if (!runs.ok) throw new Error(runs.error);
    const small = runs.runs.filter((r) => r.mem === 256).slice(0, 6);
    const mine = validateRuns(small, seriesForTestbed(t.testbed)).map((r) => r.predicted);
    const theirs = validateRuns(small, SERIES.v2).map((r) => r.predicted);
    expect(mine).toEqual(theirs);
  });

  it('should carry its cores and memory into the scenarios', () => {
    const t = parseTestbedFile(JSON.stringify({ format: 1, memoryMiB: 512, zeroShare: 0.8, cores: 4 }));
    if (!t.ok) throw new Error(t.error);
    const runs = parseRunsCsv(csv.split('\n').map((l) => l.split(',').filter((_, i) => i !== csv.split('\n')[0]!.split(',').indexOf('mem')).join(',')).join('\n'), t.testbed.memoryMiB);
    if (!runs.ok) throw new Error(runs.error);
    const s = scenarioForRun(runs.runs[0]!, 1, seriesForTestbed(t.testbed));
    expect(s.vm!.memoryMiB).toBe(512);
    expect(s.source!.cores).toBe(4);
    expect(s.vm!.composition!.zero).toBeCloseTo(0.8, 2);
  });

  it('should refuse hostile or malformed files, naming the field', () => {
    const refuse = (text: string, field: RegExp) => {
      const r = parseTestbedFile(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(field);
    };
    refuse('{"format": 2, "memoryMiB": 256, "zeroShare": 0.5, "cores": 2}', /format/);
    refuse('{"format": 1, "memoryMiB": 1e9, "zeroShare": 0.5, "cores": 2}', /memoryMiB/);
    refuse('{"format": 1, "memoryMiB": 256, "zeroShare": 1.5, "cores": 2}', /zeroShare/);
    refuse('{"format": 1, "memoryMiB": 256, "zeroShare": 0.5, "cores": 2.5}', /cores/);
    refuse('{"format": 1, "memoryMiB": 256, "zeroShare": 0.5, "cores": 2, "__proto__": {"x": 1}}', /__proto__ is not a testbed field/);
    refuse('{"format": 1, "memoryMiB": 256, "zeroShare": 0.5, "cores": 2, "controlledStart": "yes"}', /controlledStart/);
    refuse('[1, 2]', /one JSON object/);
    refuse('not json', /not JSON/);
    refuse(' '.repeat(5000), /at most 4096/);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
