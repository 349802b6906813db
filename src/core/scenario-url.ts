/**
 * Scenario ⇄ URL query. Only fields that differ from the defaults are written, as dotted keys
 * (`workload.kind=read&destinations.1.speed=0.55`), so a shared link stays short and readable.
 * Reading gives raw strings back to `resolveScenario`, which validates them like any other input.
 */
import { SCENARIO_SCHEMA, type Field } from './scenario-schema';
import { resolveScenario } from './resolve-scenario';
import type { Scenario } from './scenario-types';

/** Query keys that belong to the app, not the scenario. */
export const APP_QUERY_KEYS = new Set(['embed', 'preset', 'play', 'view', 'speed']);

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${prefix}.${i}`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, String(value));
}

/** The query string (without `?`) for a resolved scenario. */
export function scenarioToQuery(s: Scenario): string {
  const defaults = resolveScenario({});
  const base = new Map<string, string>();
  if (defaults.ok) flatten(defaults.scenario, '', base);
  const mine = new Map<string, string>();
  flatten(s, '', mine);
  const params = new URLSearchParams();
  // Arrays whose length differs must be written whole, or reading back would keep default entries.
  const lengthsDiffer = (key: string): boolean => {
    const top = key.split('.')[0]!;
    const a = (s as unknown as Record<string, unknown>)[top];
    const b = defaults.ok ? (defaults.scenario as unknown as Record<string, unknown>)[top] : undefined;
    return Array.isArray(a) && Array.isArray(b) && a.length !== b.length;
  };
  for (const [k, v] of mine) if (base.get(k) !== v || lengthsDiffer(k)) params.set(k, v);
  return params.toString();
}

/** Scenario input from a query string; values stay strings for the resolver to check. */
export function queryToInput(query: string | URLSearchParams): Record<string, unknown> {
  const params = typeof query === 'string' ? new URLSearchParams(query) : query;
  const root: Record<string, unknown> = {};
  for (const [key, value] of params) {
    if (APP_QUERY_KEYS.has(key)) continue;
    const parts = key.split('.');
    let node: Record<string, unknown> | unknown[] = root;
    let schema: Field | undefined = SCENARIO_SCHEMA;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      const childSchema: Field | undefined =
        schema?.t === 'obj' ? schema.fields[part] : schema?.t === 'arr' ? schema.of : undefined;
      const slot = (node as Record<string, unknown>)[part];
      if (last) (node as Record<string, unknown>)[part] = value;
      else {
        const next = slot ?? (childSchema?.t === 'arr' ? [] : {});
        (node as Record<string, unknown>)[part] = next;
        node = next as Record<string, unknown>;
      }
      schema = childSchema;
    }
  }
  // Arrays written sparsely (a gap) become dense so the resolver sees real entries.
  for (const [k, v] of Object.entries(root)) if (Array.isArray(v)) root[k] = Array.from(v, (e) => e ?? {});
  return root;
}
