/**
 * The stage's what-if knobs as scenario changes, kept in the core so a knob means the same on the
 * stage, in a test and in the benchmark. Each returns a new input; the resolver checks it as always.
 */
import { setPath } from './experiment';
import type { Scenario } from './scenario-types';

/** The knobs the stage offers: the few parameters that decide a migration. */
export const WHAT_IF_FIELDS = [
  'workload.touchesPerS',
  'workload.workingSetMiB',
  'links.0.bandwidthMbps',
  'cipher',
  'migration.algorithm',
  'migration.downtimeLimitMs',
  'vm.composition.free',
  'subHosts',
  'hypervisor',
] as const;
export type WhatIfField = (typeof WHAT_IF_FIELDS)[number];

/**
 * A split migration over a main host and `n` sub hosts, memory dealt evenly (each host's capacity a
 * share of the VM rounded up to 16 MiB, so together they always hold it); the main host keeps its
 * name, speed and cores.
 */
export function withSubHosts(s: Scenario, n: number): Scenario['destinations'] {
  const k = Math.max(1, Math.min(7, Math.round(n))) + 1;
  const each = Math.ceil(s.vm.memoryMiB / k / 16) * 16;
  const main = s.destinations[0]!;
  return Array.from({ length: k }, (_, i) => ({ ...(s.destinations[i] ?? main), name: i === 0 ? main.name : `sub${i}`, capacityMiB: each }));
}

/** The scenario input after turning one knob (the input is a resolved scenario, as the stage holds it). */
export function applyWhatIf(s: Scenario, field: WhatIfField, value: number | string): Record<string, unknown> {
  const input = structuredClone(s) as unknown as Record<string, unknown>;
  if (field === 'subHosts') {
    const destinations = withSubHosts(s, Number(value));
    // One link per destination, like the first (the resolver fills missing ones the same way).
    const links = destinations.map((_, i) => ({ ...(s.links[i] ?? s.links[0]!) }));
    return { ...input, destinations, links };
  }
  if (field === 'links.0.bandwidthMbps') {
    // Every link of a split migration is the same wire: the knob turns them all.
    return { ...input, links: s.links.map((l) => ({ ...l, bandwidthMbps: Number(value) })) };
  }
  return setPath(input, field, value);
}
