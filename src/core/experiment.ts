/**
 * Experiments: one base scenario run headless over a range of any numeric field (x), for each value of
 * up to two categorical fields (series and small multiples), measuring any metric (y) — or its overhead
 * against a baseline run that differs in one field (for example, no encryption). Pure and seeded like
 * every run, so a sweep is reproducible from its spec, and the spec is what the URL carries.
 */
import { fieldAt, type EnumField, type Field, type NumField, type ObjField } from './schema-fields';
import { SCENARIO_SCHEMA } from './scenario-schema';
import { mergeInput } from './merge-input';
import { resolveScenario } from './resolve-scenario';
import type { Metrics } from './metrics';
import type { Scenario } from './scenario-types';

export interface MetricDef {
  id: string;
  label: string;
  unit: string;
  get(m: Metrics): number | null;
}

const hostCpu = (i: number) => (m: Metrics) => m.hosts[i]?.cpu ?? null;

/** Every metric an experiment can plot, in the units the app shows. */
export const METRICS: MetricDef[] = [
  { id: 'total-time', label: 'Total migration time', unit: 's', get: (m) => m['total-time'] / 1000 },
  { id: 'downtime', label: 'Downtime (actual)', unit: 'ms', get: (m) => m.downtime },
  { id: 'guest-downtime', label: 'Downtime seen by the guest', unit: 'ms', get: (m) => m.guestDowntime },
  { id: 'expected-downtime', label: 'Downtime (expected, as QEMU estimates it)', unit: 'ms', get: (m) => m['expected-downtime'] },
  { id: 'pages', label: 'Pages transferred', unit: 'pages', get: (m) => m.ram.normal + m.ram.duplicate },
  { id: 'bytes', label: 'Bytes transferred', unit: 'MiB', get: (m) => m.ram.transferred / 2 ** 20 },
  { id: 'rounds', label: 'Dirty-page syncs (rounds)', unit: 'syncs', get: (m) => m.ram['dirty-sync-count'] },
  { id: 'bandwidth', label: 'Migration bandwidth', unit: 'Mbit/s', get: (m) => m.ram.mbps },
  { id: 'cpu-source', label: 'CPU use, source', unit: 'share', get: hostCpu(0) },
  { id: 'cpu-destination', label: 'CPU use, destination', unit: 'share', get: hostCpu(1) },
  { id: 'network-faults', label: 'Network faults (post-copy requests)', unit: 'faults', get: (m) => m.ram['postcopy-requests'] },
  { id: 'minor-faults', label: 'Minor faults', unit: 'faults', get: (m) => m.minorFaults },
  { id: 'remote-faults', label: 'Remote page faults', unit: 'faults/s', get: (m) => m.split?.remoteFaultsPerS ?? null },
  { id: 'paging-performance', label: 'Memory-access performance after migration', unit: 'share', get: (m) => m.split?.accessPerformance ?? null },
  { id: 'slowdown', label: 'Workload slowdown', unit: '%', get: (m) => m.workload.slowdownPct },
];

export const metricById = (id: string): MetricDef | undefined => METRICS.find((m) => m.id === id);

/** Paths of every numeric and every categorical (enum or boolean) field, top-level objects only (no arrays but the first destination). */
function walk(f: Field, path: string, out: { numeric: string[]; categorical: string[] }): void {
  if (f.t === 'num') out.numeric.push(path);
  else if (f.t === 'enum' || f.t === 'bool') out.categorical.push(path);
  else if (f.t === 'obj') for (const [k, c] of Object.entries(f.fields)) walk(c, path ? `${path}.${k}` : k, out);
  else if (f.t === 'arr' && path === 'destinations') walk(f.of, `${path}.0`, out);
}
const FIELDS = { numeric: [] as string[], categorical: [] as string[] };
walk(SCENARIO_SCHEMA as unknown as ObjField, '', FIELDS);
export const NUMERIC_FIELDS: readonly string[] = FIELDS.numeric;

/**
 * Hu et al.'s host pairs as one category: F is the fast host (speed 1), S the slow one. S's speed 0.55
 * is the paper's Kernbench ratio (69.96 s on F vs 127.39 s on S) and its cipher speed the clock ratio
 * (2.6/3.3 GHz), as in the presets.
 */
export const HOST_PAIR_FIELD = 'hostPair';
const HOST_F = { speed: 1, cipherSpeed: 0 } as const;
const HOST_S = { speed: 0.55, cipherSpeed: 0.79 } as const;
export const HOST_PAIRS: Readonly<Record<string, readonly [typeof HOST_F | typeof HOST_S, typeof HOST_F | typeof HOST_S]>> = {
  'F→F': [HOST_F, HOST_F],
  'F→S': [HOST_F, HOST_S],
  'S→F': [HOST_S, HOST_F],
  'S→S': [HOST_S, HOST_S],
};
export const CATEGORICAL_FIELDS: readonly string[] = [...FIELDS.categorical, HOST_PAIR_FIELD];

/** The values a categorical field can take (enum options, both booleans, or the host pairs). */
export function categoryValues(field: string): (string | boolean)[] {
  if (field === HOST_PAIR_FIELD) return Object.keys(HOST_PAIRS);
  const f = fieldAt(SCENARIO_SCHEMA as unknown as ObjField, field);
  return f?.t === 'enum' ? [...(f as EnumField).options] : f?.t === 'bool' ? [false, true] : [];
}

export interface Axis {
  field: string;
  from: number;
  to: number;
  points: number;
  scale: 'linear' | 'log';
}

export interface Category {
  field: string;
  values: (string | boolean)[];
}

export interface ExperimentSpec {
  /** Scenario input every point starts from. */
  base: Record<string, unknown>;
  x: Axis;
  y: string;
  series: Category | null;
  facet: Category | null;
  /** Plot y as a percentage over this baseline (the same point with one field changed). */
  baseline: { field: string; value: string | number | boolean } | null;
}

export interface PointSpec {
  key: string;
  x: number;
  series: string | boolean | null;
  facet: string | boolean | null;
  input: Record<string, unknown>;
  /** The matching baseline point's input (null: no baseline). */
  baselineInput: Record<string, unknown> | null;
}

export interface PointResult {
  key: string;
  x: number;
  series: string | boolean | null;
  facet: string | boolean | null;
  /** The metric, or its overhead over the baseline in %; null where the metric does not apply. */
  y: number | null;
  raw: number | null;
  baseline: number | null;
  converged: boolean;
  error: string | null;
}

export const MAX_POINTS = 2000;

/** Check a spec: every field exists and has the right kind, ranges sit inside the schema's, counts are bounded. */
export function checkExperiment(spec: ExperimentSpec): string[] {
  const errors: string[] = [];
  const root = SCENARIO_SCHEMA as unknown as ObjField;
  const xf = fieldAt(root, spec.x.field) as NumField | undefined;
  if (!xf || xf.t !== 'num') errors.push(`x: "${spec.x.field}" is not a numeric scenario field`);
  else {
    for (const [k, v] of [['from', spec.x.from], ['to', spec.x.to]] as const) {
      if (!Number.isFinite(v) || v < xf.min || v > xf.max) errors.push(`x.${k} must be from ${xf.min} to ${xf.max} ${xf.unit}; got ${v}`);
    }
    if (spec.x.scale === 'log' && (spec.x.from <= 0 || spec.x.to <= 0)) errors.push('x: a log scale needs a range above 0');
  }
  if (!Number.isInteger(spec.x.points) || spec.x.points < 1 || spec.x.points > 200) errors.push('x.points must be a whole number from 1 to 200');
  if (!metricById(spec.y)) errors.push(`y: "${spec.y}" is not a metric (${METRICS.map((m) => m.id).join(', ')})`);
  for (const [name, c] of [['series', spec.series], ['facet', spec.facet]] as const) {
    if (!c) continue;
    const allowed = categoryValues(c.field);
    if (!allowed.length) errors.push(`${name}: "${c.field}" is not a categorical scenario field`);
    else if (!c.values.length || c.values.length > 12) errors.push(`${name}: choose from 1 to 12 values`);
    else if (c.values.some((v) => !allowed.includes(v))) errors.push(`${name}: values must be among ${allowed.join(', ')}`);
  }
  const total = spec.x.points * (spec.series?.values.length ?? 1) * (spec.facet?.values.length ?? 1) * (spec.baseline ? 2 : 1);
  if (total > MAX_POINTS) errors.push(`this experiment needs ${total} runs; at most ${MAX_POINTS}`);
  return errors;
}

/** The x values of an axis, rounded to the field's step (whole numbers for integer fields). */
export function axisValues(a: Axis): number[] {
  const f = fieldAt(SCENARIO_SCHEMA as unknown as ObjField, a.field) as NumField | undefined;
  const out: number[] = [];
  for (let i = 0; i < a.points; i++) {
    const t = a.points === 1 ? 0 : i / (a.points - 1);
    let v = a.scale === 'log' ? a.from * Math.pow(a.to / a.from, t) : a.from + (a.to - a.from) * t;
    v = f?.int ? Math.round(v) : Number(v.toPrecision(6));
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/**
 * Set a dotted path in an input object (creating objects and the first destination as needed). Two
 * paths mean more than one field: a host pair sets both hosts' speeds, and one share of the memory's
 * composition rescales the other classes in proportion, so the shares still sum to 1 (more unused
 * memory means less of everything else, as in FCtrans's experiments).
 */
export function setPath(input: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  if (path === HOST_PAIR_FIELD) {
    const pair = HOST_PAIRS[String(value)];
    if (!pair) return input;
    const withDest = setPath(setPath(input, 'destinations.0.speed', pair[1].speed), 'destinations.0.cipherSpeed', pair[1].cipherSpeed);
    return mergeInput(withDest, { source: { speed: pair[0].speed, cipherSpeed: pair[0].cipherSpeed } });
  }
  const parts = path.split('.');
  if (parts.length === 3 && parts[0] === 'vm' && parts[1] === 'composition' && typeof value === 'number') {
    const r = resolveScenario(input);
    if (r.ok) {
      const comp = { ...r.scenario.vm.composition } as Record<string, number>;
      const rest = Object.entries(comp).filter(([k]) => k !== parts[2]).reduce((a, [, v]) => a + v, 0);
      const v = Math.min(1, Math.max(0, value));
      for (const k of Object.keys(comp)) comp[k] = k === parts[2] ? v : rest > 0 ? Number(((comp[k]! * (1 - v)) / rest).toPrecision(12)) : 0;
      return mergeInput(input, { vm: { composition: comp } });
    }
  }
  const over: Record<string, unknown> = {};
  let at: Record<string, unknown> | unknown[] = over;
  for (let i = 0; i < parts.length - 1; i++) {
    const next: Record<string, unknown> | unknown[] = /^\d+$/.test(parts[i + 1]!) ? [] : {};
    (at as Record<string, unknown>)[parts[i]!] = next;
    at = next;
  }
  (at as Record<string, unknown>)[parts[parts.length - 1]!] = value;
  // Arrays are replaced whole by mergeInput: keep the base's destinations and change one field of the first.
  if (parts[0] === 'destinations') {
    const dests = structuredClone((input.destinations as Record<string, unknown>[] | undefined) ?? [{}]);
    dests[Number(parts[1])] = { ...(dests[Number(parts[1])] ?? {}), [parts[2]!]: value };
    return { ...input, destinations: dests };
  }
  return mergeInput(input, over);
}

/** The scenario input of one point of an experiment (to run it, open it on the stage or pin it). */
export function pointInput(spec: ExperimentSpec, p: Pick<PointSpec, 'x' | 'series' | 'facet'>): Record<string, unknown> {
  let input = setPath(spec.base, spec.x.field, p.x);
  if (spec.series && p.series !== null) input = setPath(input, spec.series.field, p.series);
  if (spec.facet && p.facet !== null) input = setPath(input, spec.facet.field, p.facet);
  return input;
}

/** Every run an experiment needs, in a stable order. */
export function expandExperiment(spec: ExperimentSpec): PointSpec[] {
  const xs = axisValues(spec.x);
  const series = spec.series?.values ?? [null];
  const facets = spec.facet?.values ?? [null];
  const out: PointSpec[] = [];
  for (const f of facets) {
    for (const s of series) {
      for (const x of xs) {
        const input = pointInput(spec, { x, series: s, facet: f });
        const baselineInput = spec.baseline ? setPath(input, spec.baseline.field, spec.baseline.value) : null;
        out.push({ key: `${String(f)}|${String(s)}|${x}`, x, series: s, facet: f, input, baselineInput });
      }
    }
  }
  return out;
}

/** Run one point with the given simulator (the core's `simulate`, or a worker's). */
export function measurePoint(p: PointSpec, metric: MetricDef, run: (s: Scenario) => Metrics): PointResult {
  const base = { key: p.key, x: p.x, series: p.series, facet: p.facet };
  const r = resolveScenario(p.input);
  if (!r.ok) return { ...base, y: null, raw: null, baseline: null, converged: false, error: r.errors.map((e) => e.message).join('; ') };
  const m = run(r.scenario);
  const raw = metric.get(m);
  let baseline: number | null = null;
  if (p.baselineInput) {
    const b = resolveScenario(p.baselineInput);
    baseline = b.ok ? metric.get(run(b.scenario)) : null;
  }
  const y = p.baselineInput ? (raw !== null && baseline ? ((raw - baseline) / baseline) * 100 : null) : raw;
  return { ...base, y, raw, baseline, converged: m.converged && m.status === 'completed', error: null };
}
