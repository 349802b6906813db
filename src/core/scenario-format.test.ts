/**
 * Old links and files keep opening: each past format's fixtures (taken from the git history) are
 * upgraded, say what changed, and give the same run as the current format's twin; a format from the
 * future or a hostile format value is refused by name.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveScenario } from './resolve-scenario';
import { parseQuery, resolveQuery } from './scenario-url';
import { readScenarioFile, SCENARIO_FORMAT, upgradeInput } from './scenario-format';
import { simulate } from './simulate';
import { traceDigest } from './trace-digest';

const fixture = (format: number, name: string): unknown => JSON.parse(readFileSync(new URL(`./__fixtures__/format-${format}/${name}`, import.meta.url), 'utf8'));
const FILES = readdirSync(new URL('./__fixtures__/format-1/', import.meta.url));

/** Links as the app wrote them in each format (format 1: before `v` existed). */
const LINKS: Record<number, string[]> = {
  1: ['workload.rateMiBps=48&cipher=3des', 'preset=hu-precopy-aes&workload.rateMiBps=24&workload.workingSetMiB=64', 'workload.kind=read&workload.rateMiBps=0.5'],
  2: ['v=2&workload.touchesPerS=12288&cipher=3des', 'v=2&preset=hu-precopy-aes&workload.touchesPerS=6144&workload.workingSetMiB=64', 'v=2&workload.kind=read&workload.touchesPerS=128'],
};

describe('scenario format', () => {
  it.each(FILES)('should open the format-1 file %s, say what it upgraded, and run as its format-2 twin', (name) => {
    const old = readScenarioFile(fixture(1, name));
    const now = readScenarioFile(fixture(2, name));
    expect(old.ok && now.ok).toBe(true);
    if (!old.ok || !now.ok) return;
    expect(old.format).toBe(1);
    expect(now.format).toBe(2);
    expect(old.notes.join(' ')).toMatch(/workload\.rateMiBps = \d+ MiB\/s \(format 1\) became workload\.touchesPerS = \d+ pages\/s/);
    expect(now.notes).toEqual([]);
    const a = resolveScenario(old.input);
    const b = resolveScenario(now.input);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.scenario).toEqual(b.scenario);
    expect(traceDigest(simulate(a.scenario).trace)).toBe(traceDigest(simulate(b.scenario).trace));
  });

  it('should give a format-2 file the run it gives today (golden, so a later model change shows here)', () => {
    const read = readScenarioFile(fixture(2, 'hu-precopy-aes.json'));
    if (!read.ok) throw new Error(read.message);
    const r = resolveScenario(read.input);
    if (!r.ok) throw new Error(r.errors[0]!.message);
    const run = simulate(r.scenario, { trace: false });
    expect({ status: run.metrics.status, totalMs: run.metrics['total-time'], bytes: run.metrics.ram.transferred }).toMatchSnapshot();
  });

  it.each(LINKS[1]!.map((l, i) => [l, LINKS[2]![i]!] as const))('should open the format-1 link %s as its format-2 twin, with a note', (oldLink, newLink) => {
    const po = parseQuery(oldLink);
    expect(po.errors).toEqual([]);
    expect(po.format).toBe(1);
    expect(po.notes[0]).toMatch(/rateMiBps/);
    expect(parseQuery(newLink).notes).toEqual([]);
    const a = resolveQuery(oldLink);
    const b = resolveQuery(newLink);
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) expect(a.scenario).toEqual(b.scenario);
  });

  it('should read a link without v as format 1 and leave its current fields alone', () => {
    const p = parseQuery('cipher=3des&workload.touchesPerS=100');
    expect(p.format).toBe(1);
    expect(p.notes).toEqual([]);
    expect(p.errors).toEqual([]);
  });

  it.each([
    [{ format: SCENARIO_FORMAT + 1 }, /format is 3: written by a newer Migrascope/],
    [{ format: 'two' }, /format must be a format number/],
    [{ format: 1.5 }, /format must be a format number/],
    [{ format: 0 }, /format must be a format number/],
    [[1, 2], /JSON object/],
    [{ $comment: 7 }, /\$comment must be text/],
  ])('should refuse the file %j by the field', (value, message) => {
    const r = readScenarioFile(value);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it.each(['v=3', 'v=x', 'v=-1', 'v=99999999999'])('should refuse the link %s naming v', (q) => {
    const p = parseQuery(`${q}&cipher=none`);
    expect(p.errors.map((e) => e.field)).toEqual(['v']);
  });

  it('should leave a non-number under its old name so the resolver names it', () => {
    const up = upgradeInput({ workload: { rateMiBps: 'lots' } }, 1);
    expect(up.notes).toEqual([]);
    const r = resolveScenario(up.input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.field).toBe('workload.rateMiBps');
  });

  it('should not let a file reach a prototype through the upgrade', () => {
    const r = readScenarioFile(JSON.parse('{"format":1,"workload":{"__proto__":{"polluted":1},"rateMiBps":8}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(r.ok).toBe(true);
    if (r.ok) expect(resolveScenario(r.input).ok).toBe(false);
  });
});
