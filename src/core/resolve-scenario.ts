/**
 * The one place a scenario is defaulted and validated. Unknown fields are errors, not silently dropped,
 * and every error names the field, the value given and what is allowed.
 */
import { SCENARIO_SCHEMA, type Field, type ObjField } from './scenario-schema';
import type { Scenario, ScenarioInput } from './scenario-types';
import { PAGE_SIZE, MiB } from './units';

export interface FieldError {
  /** Dotted path, e.g. `workload.workingSetMiB` or `destinations.1.speed`. */
  field: string;
  message: string;
}

export type Resolved = { ok: true; scenario: Scenario } | { ok: false; errors: FieldError[] };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

function resolveField(field: Field, input: unknown, path: string, errors: FieldError[], fallback?: unknown): unknown {
  const def = fallback !== undefined ? fallback : 'def' in field ? field.def : undefined;
  switch (field.t) {
    case 'num': {
      if (input === undefined) return def;
      const v = typeof input === 'string' && input.trim() !== '' ? Number(input) : input;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        errors.push({ field: path, message: `${path} must be a number from ${field.min} to ${field.max} ${field.unit}; got ${show(input)}`.trimEnd() });
        return def;
      }
      if (v < field.min || v > field.max) {
        errors.push({ field: path, message: `${path} must be from ${field.min} to ${field.max} ${field.unit}; got ${v}` });
        return def;
      }
      if (field.int && !Number.isInteger(v)) {
        errors.push({ field: path, message: `${path} must be a whole number from ${field.min} to ${field.max}; got ${v}` });
        return def;
      }
      return v;
    }
    case 'bool':
      if (input === undefined) return def;
      if (input === true || input === 'true' || input === '1') return true;
      if (input === false || input === 'false' || input === '0') return false;
      errors.push({ field: path, message: `${path} must be true or false; got ${show(input)}` });
      return def;
    case 'enum':
      if (input === undefined) return def;
      if (typeof input === 'string' && field.options.includes(input)) return input;
      errors.push({ field: path, message: `${path} must be one of ${field.options.join(', ')}; got ${show(input)}` });
      return def;
    case 'str':
      if (input === undefined) return def;
      if (typeof input === 'string' && input.length <= field.maxLength) return input;
      errors.push({ field: path, message: `${path} must be text of at most ${field.maxLength} characters` });
      return def;
    case 'obj':
      return resolveObject(field, input, path, errors, isPlainObject(def) ? def : undefined);
    case 'arr': {
      const list = input === undefined ? field.def : input;
      if (!Array.isArray(list)) {
        errors.push({ field: path, message: `${path} must be a list of ${field.min} to ${field.max} entries` });
        return field.def.map((d, i) => resolveObject(field.of, {}, `${path}.${i}`, [], d));
      }
      if (list.length < field.min || list.length > field.max) {
        errors.push({ field: path, message: `${path} must have ${field.min} to ${field.max} entries; got ${list.length}` });
      }
      return list.slice(0, field.max).map((item, i) => {
        const base = field.def[Math.min(i, field.def.length - 1)];
        return resolveObject(field.of, item, `${path}.${i}`, errors, base);
      });
    }
  }
}

function resolveObject(
  schema: ObjField,
  input: unknown,
  path: string,
  errors: FieldError[],
  base?: Record<string, unknown>,
): Record<string, unknown> {
  const prefix = path ? `${path}.` : '';
  const obj = input === undefined ? {} : input;
  if (!isPlainObject(obj)) {
    errors.push({ field: path || '(scenario)', message: `${path || 'the scenario'} must be an object` });
    return resolveObject(schema, {}, path, [], base);
  }
  for (const key of Object.keys(obj)) {
    if (!(key in schema.fields)) {
      const known = Object.keys(schema.fields).join(', ');
      errors.push({ field: prefix + key, message: `${prefix + key} is not a scenario field; ${path || 'the scenario'} has ${known}` });
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.fields)) {
    out[key] = resolveField(field, obj[key], prefix + key, errors, base?.[key]);
  }
  if (schema.check) {
    const message = schema.check(out);
    if (message) errors.push({ field: path, message: `${path}: ${message}` });
  }
  return out;
}

/** Checks that span several fields; each names the field to change. */
function crossChecks(s: Scenario, errors: FieldError[]): void {
  const vmBytes = s.vm.memoryMiB * MiB;
  const fixed = s.vm.composition.kernelCode + s.vm.composition.kernelData;
  const roomMiB = s.vm.memoryMiB * (1 - fixed);
  if (s.workload.kind !== 'idle' && s.workload.workingSetMiB > roomMiB) {
    errors.push({
      field: 'workload.workingSetMiB',
      message: `workload.workingSetMiB must be at most ${Math.floor(roomMiB)} MiB (guest memory less kernel code and data); got ${s.workload.workingSetMiB}`,
    });
  }
  if (s.links.length > s.destinations.length) {
    errors.push({ field: 'links', message: `links has ${s.links.length} entries but there are only ${s.destinations.length} destinations` });
  }
  if (s.cipher === 'measured' && !(s.measuredCipherBps > 0)) {
    errors.push({ field: 'measuredCipherBps', message: 'measuredCipherBps must be above 0 when cipher is "measured" (calibrate first)' });
  }
  const needed = s.split.skipUnused ? vmBytes * (1 - s.vm.composition.free) : vmBytes;
  const capacity = s.destinations.reduce((sum, d) => sum + d.capacityMiB * MiB, 0);
  if (capacity < needed) {
    errors.push({
      field: 'destinations',
      message: `destinations hold ${Math.floor(capacity / MiB)} MiB in all but the VM needs ${Math.ceil(needed / MiB)} MiB; add sub hosts or raise capacityMiB`,
    });
  }
  if (s.destinations.length > 1 && (s.migration.algorithm === 'postcopy' || s.migration.algorithm === 'hybrid')) {
    errors.push({
      field: 'migration.algorithm',
      message: `migration.algorithm must be precopy or stop-and-copy for split migration (${s.destinations.length} destinations); got ${s.migration.algorithm}`,
    });
  }
  if ((s.vm.memoryMiB * MiB) % PAGE_SIZE !== 0) {
    errors.push({ field: 'vm.memoryMiB', message: 'vm.memoryMiB must be a whole number of 4 KiB pages' });
  }
}

/** Fill defaults, validate, and return the scenario or every error found. */
export function resolveScenario(input: ScenarioInput | unknown = {}): Resolved {
  const errors: FieldError[] = [];
  const scenario = resolveObject(SCENARIO_SCHEMA, input, '', errors) as unknown as Scenario;
  if (errors.length === 0) {
    // Links: one per destination; a missing entry copies the first link.
    while (scenario.links.length < scenario.destinations.length) {
      scenario.links.push({ ...(scenario.links[0] ?? { bandwidthMbps: 1000, latencyMs: 0.1 }) });
    }
    crossChecks(scenario, errors);
  }
  return errors.length ? { ok: false, errors } : { ok: true, scenario };
}

/** Like `resolveScenario` but throws one Error listing every problem; for scripts and tests. */
export function mustResolve(input: ScenarioInput | unknown = {}): Scenario {
  const r = resolveScenario(input);
  if (!r.ok) throw new Error(`Invalid scenario:\n${r.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  return r.scenario;
}
