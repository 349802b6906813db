import { describe, expect, it } from 'vitest';
import { mustResolve, resolveScenario } from './resolve-scenario';
import { PRESETS } from './presets';
import { applyWhatIf } from './what-if';

const split = mustResolve(PRESETS.find((p) => p.id === 'fctrans-split')!.input);

describe('what-if knobs', () => {
  it.each([1, 2, 3, 5])('should give a valid split migration over %i sub hosts that holds the VM', (n) => {
    const r = resolveScenario(applyWhatIf(split, 'subHosts', n));
    expect(r.ok ? [] : r.errors).toEqual([]);
    if (!r.ok) return;
    expect(r.scenario.destinations).toHaveLength(n + 1);
    expect(r.scenario.destinations.reduce((a, d) => a + d.capacityMiB, 0)).toBeGreaterThanOrEqual(r.scenario.vm.memoryMiB);
  });

  it('should rescale the other memory classes when the unused share changes', () => {
    const r = resolveScenario(applyWhatIf(split, 'vm.composition.free', 0.9));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const sum = Object.values(r.scenario.vm.composition).reduce((a, b) => a + b, 0);
    expect(r.scenario.vm.composition.free).toBe(0.9);
    expect(sum).toBeCloseTo(1, 9);
  });

  it('should turn every link of a split migration together', () => {
    const r = resolveScenario(applyWhatIf(split, 'links.0.bandwidthMbps', 250));
    expect(r.ok && r.scenario.links.every((l) => l.bandwidthMbps === 250)).toBe(true);
  });

  it('should change only the field it names', () => {
    const first = mustResolve(PRESETS[0]!.input);
    const r = resolveScenario(applyWhatIf(first, 'cipher', '3des'));
    expect(r.ok).toBe(true);
    if (r.ok) expect({ ...r.scenario, cipher: first.cipher }).toEqual(first);
  });
});
