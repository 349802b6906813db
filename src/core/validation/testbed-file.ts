/**
 * Your own testbed, described in a short JSON file beside your runs.csv, so the model predicts runs
 * measured somewhere else than the shipped TCG testbed:
 *
 *   { "format": 1, "name": "my laptop", "memoryMiB": 512, "zeroShare": 0.84, "cores": 4,
 *     "backgroundDirtyPagesPerS": 105, "controlledStart": true }
 *
 * - memoryMiB: the guest's memory, used for rows of runs.csv without a `mem` column;
 * - zeroShare: the idle guest's zero pages ÷ its pages (an idle run's `duplicate` ÷ memory in pages);
 * - cores: of the machine both QEMUs ran on (loopback, as the shipped testbed);
 * - backgroundDirtyPagesPerS: the idle guest's re-sent pages per second (optional, 105 as measured);
 * - controlledStart: whether the guest program ran before `migrate` was issued (optional, true).
 * The per-page costs stay the shipped fit's (recvPageUs, busy-guest threads): `npm run validate -- --cv`
 * refits them on your file. Read as hostile input: size-limited, only these fields, each checked by name
 * and range before anything is built; a refusal names the field.
 */
import { SERIES, type Series } from './qemu-testbed';

export interface UserTestbed {
  name: string;
  memoryMiB: number;
  zeroShare: number;
  cores: number;
  backgroundDirtyPagesPerS: number;
  controlledStart: boolean;
}

const MAX_CHARS = 4096;
const FIELDS = ['format', 'name', 'memoryMiB', 'zeroShare', 'cores', 'backgroundDirtyPagesPerS', 'controlledStart', '$comment'] as const;

export type ParsedTestbed = { ok: true; testbed: UserTestbed } | { ok: false; error: string };

export function parseTestbedFile(text: string): ParsedTestbed {
  if (text.length > MAX_CHARS) return { ok: false, error: `the testbed file has ${text.length} characters; at most ${MAX_CHARS} are read` };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'the testbed file is not JSON' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, error: 'the testbed file must be one JSON object' };
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!(FIELDS as readonly string[]).includes(k)) return { ok: false, error: `${k.slice(0, 40)} is not a testbed field; the fields are ${FIELDS.slice(1, -1).join(', ')}` };
  const own = (k: string): unknown => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);
  if (own('format') !== 1) return { ok: false, error: 'format must be 1' };
  const num = (k: string, min: number, max: number, whole: boolean, def?: number): number | string => {
    const v = own(k);
    if (v === undefined && def !== undefined) return def;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (whole && !Number.isInteger(v))) return `${k} must be ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}`;
    return v;
  };
  const memoryMiB = num('memoryMiB', 16, 65536, true);
  const zeroShare = num('zeroShare', 0, 0.99, false);
  const cores = num('cores', 1, 128, true);
  const background = num('backgroundDirtyPagesPerS', 0, 1e6, false, SERIES.v2.backgroundDirtyPagesPerS);
  for (const v of [memoryMiB, zeroShare, cores, background]) if (typeof v === 'string') return { ok: false, error: v };
  const name = own('name') ?? 'your testbed';
  if (typeof name !== 'string' || name.length > 60) return { ok: false, error: 'name must be text of at most 60 characters' };
  const controlled = own('controlledStart') ?? true;
  if (typeof controlled !== 'boolean') return { ok: false, error: 'controlledStart must be true or false' };
  return { ok: true, testbed: { name, memoryMiB: memoryMiB as number, zeroShare: zeroShare as number, cores: cores as number, backgroundDirtyPagesPerS: background as number, controlledStart: controlled } };
}

/** The series the model predicts your runs on: your testbed's figures, the shipped fit's per-page costs. */
export function seriesForTestbed(t: UserTestbed): Series {
  return {
    name: t.name,
    controlledStart: t.controlledStart,
    idleZeroPages: { [t.memoryMiB]: Math.round(t.zeroShare * t.memoryMiB * 256) },
    backgroundDirtyPagesPerS: t.backgroundDirtyPagesPerS,
    fitted: SERIES.v2.fitted,
    cores: t.cores,
  };
}
