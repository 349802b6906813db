import { describe, expect, it } from 'vitest';
import { resolveScenario } from './resolve-scenario';

const errorsOf = (input: unknown) => {
  const r = resolveScenario(input);
  return r.ok ? [] : r.errors;
};

describe('resolveScenario', () => {
  it('should fill every default from an empty input', () => {
    const r = resolveScenario({});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.vm.memoryMiB).toBe(1024);
    expect(r.scenario.migration.downtimeLimitMs).toBe(300);
    expect(r.scenario.destinations).toHaveLength(1);
    expect(r.scenario.links).toHaveLength(1);
  });

  it.each([
    [{ vm: { memoryMiB: 8 } }, 'vm.memoryMiB', '16 to 524288'],
    [{ vm: { memoryMiB: 'lots' } }, 'vm.memoryMiB', 'number'],
    [{ cipher: 'rot13' }, 'cipher', 'none, aes-gcm, 3des'],
    [{ migration: { maxRounds: 2.5 } }, 'migration.maxRounds', 'whole number'],
    [{ workload: { hotShare: 2 } }, 'workload.hotShare', '0 to 1'],
    [{ destinations: [] }, 'destinations', '1 to 8 entries'],
    [{ destinations: [{ speed: 0 }] }, 'destinations.0.speed', '0.05 to 8'],
    [{ split: { semigrate: 'maybe' } }, 'split.semigrate', 'true or false'],
  ])('should reject %j naming %s and the allowed range', (input, field, allowed) => {
    const errors = errorsOf(input);
    expect(errors.map((e) => e.field)).toContain(field);
    expect(errors.find((e) => e.field === field)!.message).toContain(allowed);
  });

  it('should reject unknown fields rather than ignore them', () => {
    const errors = errorsOf({ vm: { memoryMB: 512 }, colour: 'red' });
    expect(errors.map((e) => e.field).sort()).toEqual(['colour', 'vm.memoryMB']);
    expect(errors[0]!.message).toMatch(/not a scenario field/);
  });

  it('should require the memory composition to sum to 1', () => {
    const errors = errorsOf({ vm: { composition: { free: 0.9 } } });
    expect(errors[0]!.field).toBe('vm.composition');
    expect(errors[0]!.message).toMatch(/sum to 1/);
  });

  it('should refuse a working set larger than the guest can hold', () => {
    const errors = errorsOf({ vm: { memoryMiB: 256 }, workload: { workingSetMiB: 512 } });
    expect(errors[0]!.field).toBe('workload.workingSetMiB');
  });

  it('should refuse destinations too small for the VM', () => {
    const errors = errorsOf({ vm: { memoryMiB: 4096 }, destinations: [{ capacityMiB: 1024 }, { capacityMiB: 1024 }] });
    expect(errors[0]!.field).toBe('destinations');
    expect(errors[0]!.message).toMatch(/needs 4096 MiB/);
  });

  it('should accept numeric and boolean text only from a URL', () => {
    const r = resolveScenario({ vm: { memoryMiB: '512' }, split: { skipUnused: 'true' } }, { fromText: true });
    expect(r.ok && r.scenario.vm.memoryMiB === 512 && r.scenario.split.skipUnused).toBe(true);
  });

  it('should say what a file gave when it gives text for a number', () => {
    const errors = errorsOf({ seed: '12', split: { skipUnused: 'true' } });
    expect(errors.map((e) => e.message)).toEqual([
      'seed must be a number from 0 to 4294967295; got the text "12"',
      'split.skipUnused must be true or false; got the text "true"',
    ]);
  });

  it('should collect every error, not stop at the first', () => {
    expect(errorsOf({ seed: -1, cipher: 'x', vm: { vcpus: 0 } })).toHaveLength(3);
  });
});
