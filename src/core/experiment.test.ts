/**
 * Experiments as a specification: a seeded sweep gives the same numbers every time (a golden snapshot),
 * its URL form reads back to the same spec, hostile URL values are refused with the key's name, and
 * the fields that stand for several (host pairs, a composition share) keep the scenario valid.
 */
import { describe, expect, it } from 'vitest';
import { checkExperiment, expandExperiment, experimentToParams, measurePoint, metricById, mustResolve, paramsToExperiment, resolveScenario, setPath, simulate, type ExperimentSpec } from './index';

const spec: ExperimentSpec = {
  base: { seed: 7, vm: { memoryMiB: 256 }, workload: { kind: 'write', touchesPerS: 6144 } },
  x: { field: 'workload.workingSetMiB', from: 16, to: 128, points: 3, scale: 'log' },
  y: 'total-time',
  series: { field: 'cipher', values: ['none', 'aes-gcm', '3des'] },
  facet: { field: 'hostPair', values: ['F→F', 'S→F'] },
  baseline: null,
};
const runAll = (s: ExperimentSpec) => expandExperiment(s).map((p) => measurePoint(p, metricById(s.y)!, (sc) => simulate(sc).metrics));

describe('experiments', () => {
  it('should give the same results for a seeded sweep (golden snapshot)', () => {
    const rows = runAll(spec).map((r) => `${String(r.facet)} ${String(r.series)} x=${r.x} y=${r.y?.toFixed(4)} converged=${r.converged}`);
    expect(rows).toHaveLength(18);
    expect(rows).toMatchSnapshot();
  });

  it('should plot overhead over a baseline as (metric − baseline) ÷ baseline in %', () => {
    const over = runAll({ ...spec, facet: null, series: { field: 'cipher', values: ['3des'] }, baseline: { field: 'cipher', value: 'none' } });
    for (const r of over) expect(r.y).toBeCloseTo(((r.raw! - r.baseline!) / r.baseline!) * 100, 9);
    expect(over.every((r) => r.y! > 0)).toBe(true);
  });

  it('should read its URL form back to the same spec', () => {
    const params = new Map(Object.entries(experimentToParams(spec)));
    const back = paramsToExperiment(params, spec.base, { ...spec, x: { ...spec.x, field: 'vm.memoryMiB' }, series: null, facet: null });
    expect(back.ok && back.spec).toEqual(spec);
    expect(expandExperiment(back.ok ? back.spec : spec).map((p) => p.key)).toEqual(expandExperiment(spec).map((p) => p.key));
  });

  it.each([
    [{ x: '__proto__' }, 'x'],
    [{ x: 'constructor.prototype' }, 'x'],
    [{ points: '1e9' }, 'x.points'],
    [{ from: 'abc' }, 'from'],
    [{ scale: 'cubic' }, 'scale'],
    [{ metric: 'toString' }, 'y'],
    [{ series: '__proto__:a' }, 'series'],
    [{ panels: 'cipher:rot13' }, 'panels'],
    [{ baseline: 'cipher:none,aes-gcm' }, 'baseline'],
  ])('should refuse %o naming %s, and touch no prototype', (bad, field) => {
    const r = paramsToExperiment(new Map(Object.entries(bad)), {}, spec);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join(' ')).toContain(field);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('should set both hosts for a host pair and keep a composition summing to 1', () => {
    const pair = mustResolve(setPath({}, 'hostPair', 'S→F'));
    expect([pair.source.speed, pair.destinations[0]!.speed]).toEqual([0.55, 1]);
    for (const v of [0, 0.3, 0.9]) {
      const r = resolveScenario(setPath({ vm: { composition: { free: 0.7, zero: 0.05, kernelCode: 0.01, kernelData: 0.04, pageCache: 0.1, anon: 0.1 } } }, 'vm.composition.free', v));
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.scenario.vm.composition.free).toBe(v);
    }
  });

  it('should refuse an experiment too large or on a field that is not numeric', () => {
    expect(checkExperiment({ ...spec, x: { ...spec.x, points: 200 }, series: { field: 'cipher', values: ['none', 'aes-gcm', '3des', 'measured'] }, facet: { field: 'migration.algorithm', values: ['precopy', 'postcopy', 'hybrid'] }, baseline: { field: 'cipher', value: 'none' } })).toEqual([
      'this experiment needs 4800 runs; at most 2000',
    ]);
    expect(checkExperiment({ ...spec, x: { ...spec.x, field: 'cipher' } })[0]).toContain('not a numeric scenario field');
  });

  it('should give one point per cipher and working set, with 3DES slowest and not converging', () => {
    const sweep: ExperimentSpec = {
      base: { vm: { memoryMiB: 1024 } },
      x: { field: 'workload.workingSetMiB', from: 64, to: 768, points: 6, scale: 'log' },
      y: 'total-time',
      series: { field: 'cipher', values: ['none', 'aes-gcm', '3des'] },
      facet: null,
      baseline: null,
    };
    const pts = runAll(sweep);
    expect(pts).toHaveLength(18);
    const xs = [...new Set(pts.map((p) => p.x))];
    const at = (c: string, i: number) => pts.find((p) => p.series === c && p.x === xs[i])!;
    expect(at('3des', 1).y!).toBeGreaterThan(at('aes-gcm', 1).y! * 5);
    expect(at('3des', 1).converged).toBe(false);
    expect(at('aes-gcm', 5).y!).toBeGreaterThan(at('aes-gcm', 0).y!);
  });
});
