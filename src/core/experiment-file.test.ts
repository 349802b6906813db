import { describe, expect, it } from 'vitest';
import { experimentFile, readExperimentFile, type ExperimentSpec } from './index';

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
});
