/**
 * Versions of the scenario format, so a link in last year's slides or a file in a course folder still
 * opens. Every file, link, lesson and experiment URL says which format it was written in (`"format": 2`
 * in JSON, `v=2` in a link); one that says nothing is the oldest format. Each upgrade step maps the
 * fields of one format to the next and says in words what it changed. The CLI, the app, lessons and
 * experiments all upgrade here, before the resolver sees the input.
 *
 * The history, read from the schema at every commit that changed it (git log -- src/core/scenario-schema.ts):
 * - format 1 (18570f2, first release): the guest's writes as `workload.rateMiBps` (MiB/s).
 *   Fields added later in format 1 with defaults that keep old input meaning what it meant —
 *   `workload.fileShare`, `source.nicMbps`, `destinations.N.nicMbps` (d356465), `vm.firewallRules`,
 *   `vm.firewallConnections` (0b1d8f0), `dataPlane.framePages` (70a1b1c) — need no upgrade.
 * - format 2 (cae0f28, QEMU 7.2 semantics): `workload.rateMiBps` became `workload.touchesPerS`, pages
 *   the guest touches per second (one MiB/s is 256 pages/s of 4 KiB). The same commit changed the model
 *   itself (QEMU's iteration loop, CPU costs, the SSH tunnel), so a format-1 link gives QEMU 7.2's
 *   answer for the same guest, not the pre-QEMU model's figures. Fields added since with defaults
 *   (`transport`, `cpu.*`, `workload.firstTouchPagesPerS`/`cpuThreads`/`programStartS`, `*.colocated`,
 *   `*.bufferMiB`, `migration.maxBandwidthMiBps`/`channels`/`postcopyPreempt`, `dataPlane.channels`,
 *   `security.*`, `security.migrateContext`) need no upgrade.
 */
import { PAGE_SIZE, MiB } from './units';

/** The format this version of Migrascope writes. */
export const SCENARIO_FORMAT = 2;
/** The key that carries it: `format` in JSON, `v` in a link. */
export const FORMAT_KEY = 'format';
export const FORMAT_QUERY_KEY = 'v';
/** A file may say what it is for, in words (JSON has no comments); the resolver never sees it. */
export const COMMENT_KEY = '$comment';

/** A field renamed between formats, with its value's conversion. */
interface Rename {
  /** The format the old name belongs to (upgraded when the input's format is at most this). */
  upTo: number;
  from: string;
  to: string;
  /** Old value → new value; text in, text out for links. */
  convert: (v: number) => number;
  /** The note a user reads, given the old and new values. */
  note: (oldValue: string, newValue: string) => string;
}

const PAGES_PER_MIB = MiB / PAGE_SIZE;

export const RENAMES: readonly Rename[] = [
  {
    upTo: 1,
    from: 'workload.rateMiBps',
    to: 'workload.touchesPerS',
    convert: (mib) => Math.round(mib * PAGES_PER_MIB),
    note: (a, b) => `workload.rateMiBps = ${a} MiB/s (format 1) became workload.touchesPerS = ${b} pages/s (${PAGES_PER_MIB} pages of 4 KiB per MiB)`,
  },
];

/** What an upgrade says when the model's meaning changed with the format. */
const MODEL_CHANGED: Record<number, string> = {
  1: 'written for format 1, before the model had QEMU 7.2’s semantics: times and byte counts are today’s model’s for the same guest',
};

export type FormatRead = { ok: true; format: number } | { ok: false; message: string };

/** Read a format number from a file's `format` or a link's `v` (absent: format 1). */
export function readFormat(raw: unknown, field: string): FormatRead {
  if (raw === undefined) return { ok: true, format: 1 };
  const n = typeof raw === 'string' && /^\d{1,3}$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) return { ok: false, message: `${field} must be a format number from 1 to ${SCENARIO_FORMAT}` };
  if (n > SCENARIO_FORMAT) return { ok: false, message: `${field} is ${n}: written by a newer Migrascope (this one reads formats 1 to ${SCENARIO_FORMAT})` };
  return { ok: true, format: n };
}

export interface Upgraded {
  input: Record<string, unknown>;
  /** What was upgraded, in words (empty: nothing changed). */
  notes: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Upgrade a scenario input (nested, as in a file) written in `format` to the current one. Only own keys
 * are read and the input is not changed; values that are not numbers are left for the resolver to refuse.
 */
export function upgradeInput(input: Record<string, unknown>, format: number): Upgraded {
  const notes: string[] = [];
  let out = input;
  for (const r of RENAMES) {
    if (format > r.upTo) continue;
    const [group, key] = r.from.split('.') as [string, string];
    const [, newKey] = r.to.split('.') as [string, string];
    const g = Object.hasOwn(out, group) ? out[group] : undefined;
    if (!isObject(g) || !Object.hasOwn(g, key)) continue;
    const raw = g[key];
    const num = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' && raw.length <= 40 ? Number(raw) : NaN;
    const next: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(g)) if (k !== key) Object.defineProperty(next, k, { value: v, enumerable: true, writable: true, configurable: true });
    if (Number.isFinite(num) && !Object.hasOwn(g, newKey)) {
      const converted = r.convert(num);
      next[newKey] = typeof raw === 'string' ? String(converted) : converted;
      notes.push(r.note(String(raw).slice(0, 40), String(converted)));
    } else if (!Number.isFinite(num)) {
      next[key] = raw; // not a number: left under its old name, so the resolver names it
    }
    out = { ...out, [group]: next };
  }
  if (notes.length > 0) notes.push(...modelChangeNotes(format));
  return { input: out, notes };
}

/** A link's dotted key in an old format → its current key and value, or null when it did not change. */
export function upgradeQueryKey(key: string, value: string, format: number): { key: string; value: string; note: string } | null {
  for (const r of RENAMES) {
    if (format > r.upTo || key !== r.from) continue;
    const n = value.trim() !== '' && value.length <= 40 ? Number(value) : NaN;
    if (!Number.isFinite(n)) return null;
    const converted = String(r.convert(n));
    return { key: r.to, value: converted, note: r.note(value.slice(0, 40), converted) };
  }
  return null;
}

/** The sentence about the model's change that goes with any upgrade from `format`. */
export function modelChangeNotes(format: number): string[] {
  const out: string[] = [];
  for (let f = format; f < SCENARIO_FORMAT; f++) if (MODEL_CHANGED[f]) out.push(MODEL_CHANGED[f]!);
  return out;
}

/**
 * A scenario file (JSON already parsed): its format read and removed, the rest upgraded. The file's
 * `format` is refused by name when it is not a known format.
 */
export function readScenarioFile(value: unknown): { ok: true; input: Record<string, unknown>; format: number; notes: string[] } | { ok: false; message: string } {
  if (!isObject(value)) return { ok: false, message: 'a scenario file is a JSON object of scenario fields' };
  const f = readFormat(Object.hasOwn(value, FORMAT_KEY) ? value[FORMAT_KEY] : undefined, FORMAT_KEY);
  if (!f.ok) return f;
  const comment = Object.hasOwn(value, COMMENT_KEY) ? value[COMMENT_KEY] : undefined;
  if (comment !== undefined && (typeof comment !== 'string' || comment.length > 2000)) return { ok: false, message: `${COMMENT_KEY} must be text of at most 2,000 characters` };
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== FORMAT_KEY && k !== COMMENT_KEY) Object.defineProperty(rest, k, { value: v, enumerable: true, writable: true, configurable: true });
  const up = upgradeInput(rest, f.format);
  return { ok: true, input: up.input, format: f.format, notes: up.notes };
}
