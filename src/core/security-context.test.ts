/**
 * Chen, Wan, Wan, Long, "Seamless virtual machine live migration on network security enhanced
 * hypervisor" (2009): migrating the VM's security context costs little — downtime grows at most 15 %.
 */
import { describe, expect, it } from 'vitest';
import { PRESETS } from './presets';
import { mustResolve } from './resolve-scenario';
import { simulate } from './simulate';

describe('Chen et al.: security context migrated with the VM', () => {
  const input = PRESETS.find((p) => p.id === 'security-context')!.input;
  const withContext = simulate(mustResolve(input)).metrics;
  const without = simulate(mustResolve({ ...input, vm: { firewallRules: 0, firewallConnections: 0 } })).metrics;

  it('should lengthen the downtime, but by no more than 15 %', () => {
    const growth = withContext.downtime / without.downtime - 1;
    expect(growth).toBeGreaterThan(0);
    expect(growth).toBeLessThanOrEqual(0.15);
  });

  it('should send the connection table in the downtime and the rules before the first page', () => {
    expect(withContext['setup-time']).toBeGreaterThan(without['setup-time']);
    expect(withContext.stateBytes - without.stateBytes).toBe(5000 * 48);
  });
});
