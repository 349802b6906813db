/**
 * An experiment ⇄ the page's query: the base scenario travels as usual (`scenarioToQuery`), the axes as
 * the app's own keys — `x=workload.workingSetMiB&from=64&to=768&points=4&scale=linear&metric=total-time
 * &series=cipher:none,aes-gcm&panels=migration.algorithm:precopy,postcopy&baseline=cipher:none`. Reading
 * is hostile-input safe: every value is text, bounded, checked against the schema, and refused with the
 * key's name; nothing is built from a key that is not one of these.
 */
import { fieldAt, type ObjField } from './schema-fields';
import { SCENARIO_SCHEMA } from './scenario-schema';
import { categoryValues, checkExperiment, type Category, type ExperimentSpec } from './experiment';
import { resolveScenario } from './resolve-scenario';
import { FORMAT_KEY, readScenarioFile, SCENARIO_FORMAT } from './scenario-format';

export const EXPERIMENT_KEYS = ['x', 'from', 'to', 'points', 'scale', 'metric', 'series', 'panels', 'baseline'] as const;

const text = (v: string | boolean | number): string => String(v);

function categoryToText(c: Category | null): string | null {
  return c ? `${c.field}:${c.values.map(text).join(',')}` : null;
}

/** The app keys for an experiment's axes (the base scenario is written apart). */
export function experimentToParams(spec: ExperimentSpec): Record<string, string> {
  const out: Record<string, string> = {
    x: spec.x.field,
    from: String(spec.x.from),
    to: String(spec.x.to),
    points: String(spec.x.points),
    scale: spec.x.scale,
    metric: spec.y,
  };
  const series = categoryToText(spec.series);
  const panels = categoryToText(spec.facet);
  if (series) out.series = series;
  if (panels) out.panels = panels;
  if (spec.baseline) out.baseline = `${spec.baseline.field}:${text(spec.baseline.value)}`;
  return out;
}

/** A category's value from text, typed as its field is (booleans for switches). */
function typed(field: string, v: string): string | boolean | null {
  const allowed = categoryValues(field);
  const hit = allowed.find((a) => String(a) === v);
  return hit === undefined ? null : hit;
}

function readCategory(key: string, raw: string | undefined, errors: string[]): Category | null {
  if (!raw) return null;
  const at = raw.indexOf(':');
  const field = at < 0 ? raw : raw.slice(0, at);
  const allowed = categoryValues(field);
  if (!allowed.length) {
    errors.push(`${key}: "${field.slice(0, 60)}" is not a categorical scenario field`);
    return null;
  }
  const parts = at < 0 ? allowed.map(String) : raw.slice(at + 1).split(',').slice(0, 13);
  const values: (string | boolean)[] = [];
  for (const p of parts) {
    const v = typed(field, p);
    if (v === null) errors.push(`${key}: "${p.slice(0, 40)}" is not a value of ${field} (${allowed.join(', ')})`);
    else if (!values.includes(v)) values.push(v);
  }
  return { field, values };
}

export type ReadExperiment = { ok: true; spec: ExperimentSpec } | { ok: false; errors: string[] };

/** Read an experiment from the app keys of a query, over the given base scenario input; x and y default to `defaults`'. */
export function paramsToExperiment(app: ReadonlyMap<string, string>, linkBase: Record<string, unknown>, defaults: ExperimentSpec): ReadExperiment {
  // A link's base holds text ("30"): resolve it once as text, so every point starts from typed values.
  const typed = resolveScenario(linkBase, { fromText: true });
  if (!typed.ok) return { ok: false, errors: typed.errors.map((e) => `base: ${e.message}`) };
  const base = scenarioInput(typed.scenario, linkBase);
  const errors: string[] = [];
  const num = (key: 'from' | 'to' | 'points', fallback: number): number => {
    const raw = app.get(key);
    if (raw === undefined) return fallback;
    const v = /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(raw) ? Number(raw) : NaN;
    if (!Number.isFinite(v)) errors.push(`${key} must be a number; got "${raw.slice(0, 40)}"`);
    return v;
  };
  const xField = app.get('x') ?? defaults.x.field;
  const xf = fieldAt(SCENARIO_SCHEMA as unknown as ObjField, xField);
  const scale = app.get('scale') ?? defaults.x.scale;
  if (scale !== 'linear' && scale !== 'log') errors.push(`scale must be linear or log; got "${scale.slice(0, 40)}"`);
  const sameX = xField === defaults.x.field;
  const spec: ExperimentSpec = {
    base,
    x: {
      field: xField,
      from: num('from', sameX ? defaults.x.from : xf?.t === 'num' ? xf.min : 0),
      to: num('to', sameX ? defaults.x.to : xf?.t === 'num' ? Math.min(xf.max, Math.max(xf.min, xf.def * 4)) : 1),
      points: num('points', defaults.x.points),
      scale: scale === 'log' ? 'log' : 'linear',
    },
    y: app.get('metric') ?? defaults.y,
    // A link writes every category it uses: one it leaves out is not used.
    series: readCategory('series', app.get('series'), errors),
    facet: readCategory('panels', app.get('panels'), errors),
    baseline: null,
  };
  const b = app.get('baseline');
  if (b !== undefined) {
    if (b === '' || b === 'none') spec.baseline = null;
    else {
      const c = readCategory('baseline', b, errors);
      spec.baseline = c && c.values.length === 1 ? { field: c.field, value: c.values[0]! } : null;
      if (c && c.values.length !== 1) errors.push('baseline: give one field and one value, e.g. cipher:none');
    }
  }
  if (errors.length) return { ok: false, errors };
  const checked = checkExperiment(spec);
  return checked.length ? { ok: false, errors: checked } : { ok: true, spec };
}

/**
 * An experiment as a file: the scenario format, the axes as the link writes them, and the base
 * scenario in full — so it opens next year as it does today (the base is upgraded like any file).
 */
export function experimentFile(spec: ExperimentSpec): string {
  const base = resolveScenario(spec.base);
  return `${JSON.stringify({ [FORMAT_KEY]: SCENARIO_FORMAT, experiment: experimentToParams(spec), base: base.ok ? base.scenario : spec.base }, null, 2)}\n`;
}

/** Read an experiment file (JSON already parsed), refusing anything off the format by field. */
export function readExperimentFile(value: unknown, defaults: ExperimentSpec): ReadExperiment & { notes?: string[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, errors: ['an experiment file is a JSON object with format, experiment and base'] };
  const o = value as Record<string, unknown>;
  for (const k of Object.keys(o)) if (![FORMAT_KEY, 'experiment', 'base'].includes(k)) return { ok: false, errors: [`${k.slice(0, 40)} is not an experiment file field (format, experiment, base)`] };
  const exp = o.experiment;
  if (typeof exp !== 'object' || exp === null || Array.isArray(exp)) return { ok: false, errors: ['experiment must be an object of the link’s keys'] };
  const app = new Map<string, string>();
  for (const [k, v] of Object.entries(exp)) {
    if (!(EXPERIMENT_KEYS as readonly string[]).includes(k)) return { ok: false, errors: [`experiment.${k.slice(0, 40)} is not an experiment key (${EXPERIMENT_KEYS.join(', ')})`] };
    if (typeof v !== 'string' || v.length > 200) return { ok: false, errors: [`experiment.${k} must be text of at most 200 characters`] };
    app.set(k, v);
  }
  const file = readScenarioFile({ [FORMAT_KEY]: o[FORMAT_KEY], ...((typeof o.base === 'object' && o.base !== null && !Array.isArray(o.base) ? o.base : {}) as Record<string, unknown>) });
  if (!file.ok) return { ok: false, errors: [`base: ${file.message}`] };
  const r = paramsToExperiment(app, file.input, defaults);
  return r.ok ? { ...r, notes: file.notes } : r;
}

/** The fields of a resolved scenario that the link named (so the base stays as short as the link). */
function scenarioInput(s: Record<string, unknown> | object, named: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const src = s as Record<string, unknown>;
  for (const k of Object.keys(named)) {
    if (!Object.hasOwn(src, k)) continue;
    const v = src[k];
    const n = named[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && n && typeof n === 'object' && !Array.isArray(n) ? scenarioInput(v, n as Record<string, unknown>) : structuredClone(v);
  }
  return out;
}
