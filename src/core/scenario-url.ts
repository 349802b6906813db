/**
 * Scenario ⇄ URL query. Only fields that differ from the defaults are written, as dotted keys
 * (`workload.kind=read&destinations.1.speed=0.55`), so a shared link stays short and readable.
 * Reading is hostile-input safe: a key must name a schema field (list indexes below the list's
 * maximum), so nothing outside the schema is ever created — no prototype, no four-billion-entry list.
 * Values stay text for `resolveScenario(…, { fromText: true })`, which checks them like any input.
 */
import { SCENARIO_SCHEMA, type Field } from './scenario-schema';
import { resolveScenario, type FieldError, type Resolved } from './resolve-scenario';
import type { Scenario } from './scenario-types';
import { mergeInput } from './merge-input';
import { FORMAT_QUERY_KEY, modelChangeNotes, readFormat, SCENARIO_FORMAT, upgradeQueryKey } from './scenario-format';

/** Query keys that belong to the app (view, lesson, playback), not the scenario. */
export const APP_QUERY_KEYS = new Set(['embed', 'preset', 'play', 'view', 'speed', 'lesson', 'step', 'lecture', 'controls', 'x', 'metric', 'series', 'panels', 'from', 'to', 'points', 'scale', 'baseline', 'attack', 'pin', 'run', FORMAT_QUERY_KEY]);

/** Bounds checked before anything is built from a query. */
export const QUERY_LIMITS = { chars: 8192, keys: 200, valueChars: 200 } as const;

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
  // Lists whose length differs must be written whole, or reading back would keep default entries.
  const lengthsDiffer = (key: string): boolean => {
    const top = key.split('.')[0]!;
    const a = (s as unknown as Record<string, unknown>)[top];
    const b = defaults.ok ? (defaults.scenario as unknown as Record<string, unknown>)[top] : undefined;
    return Array.isArray(a) && Array.isArray(b) && a.length !== b.length;
  };
  for (const [k, v] of mine) if (base.get(k) !== v || lengthsDiffer(k)) params.set(k, v);
  return params.toString();
}

export interface ParsedQuery {
  /** Scenario input (text values), only schema paths. */
  input: Record<string, unknown>;
  /** Keys refused before resolving: not a scenario field, an index out of range, too long. */
  errors: FieldError[];
  /** The app's own keys (view, lesson, …), as given. */
  app: Map<string, string>;
  /** The scenario format the link was written in (`v`; none: format 1). */
  format: number;
  /** What was upgraded from an older format, in words. */
  notes: string[];
}

/** Read a query string into scenario input, refusing anything that is not a schema path. */
export function parseQuery(query: string | URLSearchParams): ParsedQuery {
  const errors: FieldError[] = [];
  const app = new Map<string, string>();
  const input: Record<string, unknown> = {};
  const notes: string[] = [];
  const text = typeof query === 'string' ? query : query.toString();
  if (text.length > QUERY_LIMITS.chars) {
    errors.push({ field: '(link)', message: `the link's query is ${text.length} characters; at most ${QUERY_LIMITS.chars} are read` });
    return { input, errors, app, format: SCENARIO_FORMAT, notes };
  }
  const params = new URLSearchParams(text);
  const v = params.get(FORMAT_QUERY_KEY);
  const read = readFormat(v === null ? undefined : v.slice(0, 10), FORMAT_QUERY_KEY);
  if (!read.ok) errors.push({ field: FORMAT_QUERY_KEY, message: read.message });
  const format = read.ok ? read.format : SCENARIO_FORMAT;
  let count = 0;
  for (const [key, value] of params) {
    if (++count > QUERY_LIMITS.keys) {
      errors.push({ field: '(link)', message: `the link has more than ${QUERY_LIMITS.keys} parameters; the rest were ignored` });
      break;
    }
    if (APP_QUERY_KEYS.has(key)) {
      app.set(key, value.slice(0, QUERY_LIMITS.valueChars));
      continue;
    }
    const shown = /^[\w$.-]{1,60}$/.test(key) ? key : JSON.stringify(key.slice(0, 60));
    if (value.length > QUERY_LIMITS.valueChars) {
      errors.push({ field: shown, message: `${shown} is ${value.length} characters long; at most ${QUERY_LIMITS.valueChars} are allowed` });
      continue;
    }
    const up = format < SCENARIO_FORMAT ? upgradeQueryKey(key, value, format) : null;
    if (up) notes.push(up.note);
    const placed = place(input, (up?.key ?? key).split('.'), up?.value ?? value);
    if (placed) errors.push({ field: shown, message: `${shown} ${placed}` });
  }
  if (notes.length) notes.push(...modelChangeNotes(format));
  return { input, errors, app, format, notes };
}

/** Put `value` at a schema path; returns why not, or null. The path is checked whole before anything is built. */
function place(root: Record<string, unknown>, parts: string[], value: string): string | null {
  if (parts.length > 6) return 'is not a scenario field';
  const slots: (string | number)[] = [];
  const kinds: Field[] = [];
  let schema: Field = SCENARIO_SCHEMA;
  for (const part of parts) {
    if (schema.t === 'obj') {
      if (!Object.hasOwn(schema.fields, part)) return 'is not a scenario field';
      schema = schema.fields[part]!;
      slots.push(part);
    } else if (schema.t === 'arr') {
      if (!/^\d{1,3}$/.test(part) || Number(part) >= schema.max) return `names entry ${part.slice(0, 12)}, but the list has at most ${schema.max} entries (0 to ${schema.max - 1})`;
      schema = schema.of;
      slots.push(Number(part));
    } else return 'is not a scenario field';
    kinds.push(schema);
  }
  if (schema.t === 'obj' || schema.t === 'arr') return 'is a group of fields; give one of its fields';
  let node: Record<string | number, unknown> = root;
  slots.forEach((slot, i) => {
    if (i === slots.length - 1) node[slot] = value;
    else {
      const next = node[slot] ?? (kinds[i]!.t === 'arr' ? [] : {});
      node[slot] = next;
      node = next as Record<string | number, unknown>;
    }
  });
  return null;
}

/** Scenario input from a query string; values stay text. Refused keys are dropped (see `parseQuery`). */
export function queryToInput(query: string | URLSearchParams): Record<string, unknown> {
  const { input } = parseQuery(query);
  // Lists written sparsely (a gap) become dense so the resolver sees real entries (indexes are < max).
  for (const [k, v] of Object.entries(input)) if (Array.isArray(v)) input[k] = Array.from(v, (e) => e ?? {});
  return input;
}

/** Resolve a scenario from a query string, with the refused keys among the errors. */
export function resolveQuery(query: string | URLSearchParams, over?: Record<string, unknown>): Resolved & { app: Map<string, string> } {
  const parsed = parseQuery(query);
  for (const [k, v] of Object.entries(parsed.input)) if (Array.isArray(v)) parsed.input[k] = Array.from(v, (e) => e ?? {});
  const input = over ? mergeInput(over, parsed.input) : parsed.input;
  const r = resolveScenario(input, { fromText: true });
  if (parsed.errors.length === 0) return { ...r, app: parsed.app };
  return { ok: false, errors: [...parsed.errors, ...(r.ok ? [] : r.errors)], app: parsed.app };
}
