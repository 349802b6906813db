import { describe, expect, it } from 'vitest';
import { mustResolve, resolveScenario } from './resolve-scenario';
import { queryToInput, resolveQuery, scenarioToQuery } from './scenario-url';
import { PRESETS } from './presets';

describe('scenario URL', () => {
  it('should write nothing for the default scenario', () => {
    expect(scenarioToQuery(mustResolve({}))).toBe('');
  });

  it('should write only changed fields as dotted keys', () => {
    const q = scenarioToQuery(mustResolve({ seed: 7, workload: { kind: 'read' } }));
    expect(new URLSearchParams(q).get('workload.kind')).toBe('read');
    expect(new URLSearchParams(q).get('seed')).toBe('7');
    expect([...new URLSearchParams(q).keys()]).toHaveLength(2);
  });

  it.each(PRESETS.map((p) => [p.id, p.input] as const))('should round-trip preset %s exactly', (_id, input) => {
    const s = mustResolve(input);
    const back = resolveQuery(scenarioToQuery(s));
    expect(back.ok).toBe(true);
    if (back.ok) expect(back.scenario).toEqual(s);
  });

  it('should ignore the app keys and report bad values through the resolver', () => {
    const r = resolveScenario(queryToInput('embed=1&vm.memoryMiB=abc'), { fromText: true });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.field)).toEqual(['vm.memoryMiB']);
  });
});
