import { describe, expect, it } from 'vitest';
import { experimentFile, paramsToExperiment, parseQuery, queryToInput, readExperimentFile, type ExperimentSpec } from './index';

const spec: ExperimentSpec = {
  base: { vm: { memoryMiB: 256 }, workload: { kind: 'write', touchesPerS: 6144 } },
  x: { field: 'workload.workingSetMiB', from: 16, to: 128, points: 4, scale: 'linear' },
  y: 'total-time',
  series: { field: 'cipher', values: ['none', 'aes-gcm'] },
  facet: null,
  baseline: null,
};

describe('experiment files', () => {
  it('should write an experiment that reads back as the same sweep', () => {
    const back = readExperimentFile(JSON.parse(experimentFile(spec)), spec);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.spec.x).toEqual(spec.x);
    expect(back.spec.series).toEqual(spec.series);
    expect(back.spec.y).toBe('total-time');
  });

  it('should upgrade a format-1 base and say so', () => {
    const back = readExperimentFile({ experiment: { x: 'workload.workingSetMiB', metric: 'total-time' }, base: { workload: { rateMiBps: 24 } } }, spec);
    expect(back.ok).toBe(true);
    if (back.ok) expect(back.notes?.[0]).toMatch(/rateMiBps/);
  });

  it.each([
    [{ format: 2, experiment: { x: 'workload.workingSetMiB' }, base: {}, extra: 1 }, /extra is not an experiment file field/],
    [{ format: 2, experiment: { evil: '1' }, base: {} }, /experiment\.evil is not an experiment key/],
    [{ format: 2, experiment: { x: 7 }, base: {} }, /experiment\.x must be text/],
    [{ format: 9, experiment: {}, base: {} }, /base: format is 9/],
    [{ format: 2, experiment: { x: 'vm.nothing' }, base: {} }, /x/],
  ])('should refuse %j by its field', (value, message) => {
    const r = readExperimentFile(value, spec);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join(' ')).toMatch(message);
  });

  it('should type a link’s base once, so numbers written as text in the link run (a 30 ms limit)', () => {
    const q = 'migration.downtimeLimitMs=30&cipher=3des&x=workload.workingSetMiB&metric=total-time';
    const r = paramsToExperiment(parseQuery(q).app, queryToInput(q), spec);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.spec.base).toEqual({ migration: { downtimeLimitMs: 30 }, cipher: '3des' });
  });

  it('should refuse a link whose base is not a scenario, naming the field', () => {
    const q = 'migration.downtimeLimitMs=fast&x=workload.workingSetMiB';
    const r = paramsToExperiment(parseQuery(q).app, queryToInput(q), spec);
    expect(r.ok ? [] : r.errors.join(' ')).toMatch(/base: migration\.downtimeLimitMs/);
  });
});
