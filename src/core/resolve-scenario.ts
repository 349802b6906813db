/**
 * The one place a scenario is defaulted and validated. Unknown fields are errors, not silently dropped,
 * and every error names the field, the value given and what is allowed. Input is treated as hostile: only
 * the schema's own keys are ever read or written (no path to a prototype), lists are cut at their
 * maximum before anything is built from them, and text stands for a number only when it came from a URL.
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

export interface ResolveOptions {
  /**
   * Values came from a URL, where everything is text: accept "12" for a number and "true"/"1" for a
   * switch. Files and messages must carry real numbers and booleans.
   */
  fromText?: boolean;
}

/** Unknown keys reported per object at most (a hostile input may carry millions). */
const MAX_UNKNOWN_REPORTED = 8;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** How a value is shown in a message: short, and saying what kind of thing it was. */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

class Resolver {
  readonly errors: FieldError[] = [];
  constructor(readonly fromText: boolean) {}

  fail(field: string, message: string): void {
    this.errors.push({ field, message });
  }

  field(field: Field, input: unknown, path: string, fallback?: unknown): unknown {
    const def = fallback !== undefined ? fallback : 'def' in field ? field.def : undefined;
    switch (field.t) {
      case 'num': {
        if (input === undefined) return def;
        const text = this.fromText && typeof input === 'string' && input.trim() !== '' && input.length <= 40;
        const v = text ? Number(input) : input;
        const range = `from ${field.min} to ${field.max}${field.unit ? ` ${field.unit}` : ''}`;
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          this.fail(path, `${path} must be a number ${range}; got ${describeValue(input)}`);
          return def;
        }
        if (v < field.min || v > field.max) {
          this.fail(path, `${path} must be ${range}; got ${v}`);
          return def;
        }
        if (field.int && !Number.isInteger(v)) {
          this.fail(path, `${path} must be a whole number ${range}; got ${v}`);
          return def;
        }
        return v;
      }
      case 'bool':
        if (input === undefined) return def;
        if (input === true || (this.fromText && (input === 'true' || input === '1'))) return true;
        if (input === false || (this.fromText && (input === 'false' || input === '0'))) return false;
        this.fail(path, `${path} must be true or false; got ${describeValue(input)}`);
        return def;
      case 'enum':
        if (input === undefined) return def;
        if (typeof input === 'string' && field.options.includes(input)) return input;
        this.fail(path, `${path} must be one of ${field.options.join(', ')}; got ${describeValue(input)}`);
        return def;
      case 'str':
        if (input === undefined) return def;
        if (typeof input === 'string' && input.length <= field.maxLength) return input;
        this.fail(path, `${path} must be text of at most ${field.maxLength} characters; got ${describeValue(input)}`);
        return def;
      case 'obj':
        return this.object(field, input, path, isPlainObject(def) ? def : undefined);
      case 'arr': {
        const list = input === undefined ? field.def : input;
        const base = (i: number): Record<string, unknown> => field.def[Math.min(i, field.def.length - 1)]!;
        if (!Array.isArray(list)) {
          this.fail(path, `${path} must be a list of ${field.min} to ${field.max} entries; got ${describeValue(list)}`);
          return field.def.map((d) => new Resolver(false).object(field.of, {}, path, d));
        }
        if (list.length < field.min || list.length > field.max) {
          this.fail(path, `${path} must have ${field.min} to ${field.max} entries; got ${list.length}`);
        }
        // Cut before building anything: a list of a billion entries costs nothing more than one of eight.
        const kept: unknown[] = [];
        for (let i = 0; i < Math.min(list.length, field.max); i++) kept.push(list[i]);
        return kept.map((item, i) => this.object(field.of, item, `${path}.${i}`, base(i)));
      }
    }
  }

  object(schema: ObjField, input: unknown, path: string, base?: Record<string, unknown>): Record<string, unknown> {
    const prefix = path ? `${path}.` : '';
    const obj = input === undefined ? {} : input;
    if (!isPlainObject(obj)) {
      this.fail(path || '(scenario)', `${path || 'the scenario'} must be an object; got ${describeValue(obj)}`);
      return new Resolver(false).object(schema, {}, path, base);
    }
    let unknown = 0;
    for (const key of Object.keys(obj)) {
      if (Object.hasOwn(schema.fields, key)) continue;
      if (unknown++ < MAX_UNKNOWN_REPORTED) {
        const known = Object.keys(schema.fields).join(', ');
        const name = prefix + (/^[\w$-]{1,60}$/.test(key) ? key : JSON.stringify(key.slice(0, 60)));
        this.fail(name, `${name} is not a scenario field; ${path || 'the scenario'} has ${known}`);
      }
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(schema.fields)) {
      const given = Object.hasOwn(obj, key) ? obj[key] : undefined;
      out[key] = this.field(schema.fields[key]!, given, prefix + key, base && Object.hasOwn(base, key) ? base[key] : undefined);
    }
    if (schema.check) {
      const message = schema.check(out);
      if (message) this.fail(path, `${path}: ${message}`);
    }
    return out;
  }
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
export function resolveScenario(input: ScenarioInput | unknown = {}, options: ResolveOptions = {}): Resolved {
  const r = new Resolver(options.fromText === true);
  const scenario = r.object(SCENARIO_SCHEMA, input, '') as unknown as Scenario;
  const errors = r.errors;
  if (errors.length === 0) {
    // Links: one per destination; a missing entry copies the first.
    const first = scenario.links[0] ?? (new Resolver(false).object(SCENARIO_SCHEMA.fields.links.of, {}, 'links.0') as Scenario['links'][number]);
    while (scenario.links.length < scenario.destinations.length) scenario.links.push({ ...first });
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
