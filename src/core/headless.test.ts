/**
 * A headless run (no page-level trace) must give exactly the metrics and phases of a traced one: sweeps,
 * experiments and pinned runs use it, the stage uses the traced run, and both must tell the same story.
 */
import { describe, expect, it } from 'vitest';
import { mustResolve, PRESETS, simulate, type ScenarioInput } from './index';

const CASES: [string, ScenarioInput][] = [
  ...PRESETS.map((p) => [p.id, p.input] as [string, ScenarioInput]),
  ['3des non-converging', { vm: { memoryMiB: 512 }, workload: { kind: 'write', workingSetMiB: 256 }, cipher: '3des' }],
  ['hybrid', { vm: { memoryMiB: 256 }, workload: { kind: 'write', workingSetMiB: 64 }, migration: { algorithm: 'hybrid' } }],
];

describe('headless runs', () => {
  it.each(CASES)('should give the same metrics and phases without the trace: %s', (_, input) => {
    const s = mustResolve(input);
    const full = simulate(s);
    const headless = simulate(s, { trace: false });
    expect(headless.metrics).toEqual(full.metrics);
    // Phases are the same but for their ranges into the (empty) page-level columns.
    const strip = (ph: typeof full.trace.phases) => ph.map(({ sends: _s, dirties: _d, ...rest }) => rest);
    expect(strip(headless.trace.phases)).toEqual(strip(full.trace.phases));
    expect(headless.trace.sends.page.length).toBe(0);
    expect(full.trace.sends.page.length).toBeGreaterThan(0);
  });
});
