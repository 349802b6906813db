/**
 * Measured QEMU migrations (`runs.csv`, see qemu-7.2/README.md): one row per run, parsed and checked
 * field by field — a malformed file is refused with the line and the column, never half read.
 */

export interface MeasuredRun {
  tag: string;
  /** Guest program: idle, random page writes or random page reads. */
  wl: 'idle' | 'write' | 'read';
  /** Working set, MiB. */
  ws: number;
  /** Operations per second; 0 = as fast as the guest can (about 2.4 million/s under TCG). */
  rate: number;
  /** QEMU max-bandwidth, MiB/s (10000: effectively none). */
  bw: number;
  downtimeLimitMs: number;
  /** precopy, postcopy (pre-copy until dirty-sync-count ≥ 2, then migrate-start-postcopy) or autoconverge (pre-copy with the auto-converge capability). */
  mode: 'precopy' | 'postcopy' | 'autoconverge';
  /** Guest memory, MiB (column `mem`; 256 when the file has no such column). */
  mem: number;
  /** Migration channels (multifd; column `channels`, 1 when absent). */
  channels: number;
  tls: boolean;
  status: 'completed' | 'cancelled';
  gaveUp: boolean;
  totalMs: number | null;
  downtimeMs: number | null;
  expectedDowntimeMs: number | null;
  /** Bytes on the wire as QEMU counts them (`ram.transferred`). */
  transferred: number | null;
  normal: number | null;
  duplicate: number | null;
  /** QEMU's dirty-sync-count. */
  syncs: number | null;
  postcopyRequests: number | null;
}

const COLUMNS = ['tag', 'wl', 'ws', 'rate', 'bw', 'downtime_limit', 'mode', 'tls', 'status', 'gave_up', 'total_ms', 'downtime_ms', 'expected_downtime_ms', 'transferred', 'normal', 'duplicate', 'rounds', 'mbps', 'postcopy_requests'] as const;

/** At most this many rows and characters are read (the file is small; a huge one is refused). */
const LIMITS = { rows: 10_000, chars: 2_000_000 };

export type Parsed = { ok: true; runs: MeasuredRun[] } | { ok: false; error: string };

/** Parse runs.csv text; rows without a `mem` column take `defaultMemMiB` (a testbed file's guest memory). */
export function parseRunsCsv(text: string, defaultMemMiB = 256): Parsed {
  if (text.length > LIMITS.chars) return { ok: false, error: `the file has ${text.length} characters; at most ${LIMITS.chars} are read` };
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length - 1 > LIMITS.rows) return { ok: false, error: `the file has ${lines.length - 1} rows; at most ${LIMITS.rows} are read` };
  const header = lines[0]?.split(',') ?? [];
  const at = new Map(header.map((h, i) => [h.trim(), i] as const));
  const missing = COLUMNS.filter((c) => !at.has(c));
  if (missing.length) return { ok: false, error: `the header lacks ${missing.join(', ')}` };
  const runs: MeasuredRun[] = [];
  for (let li = 1; li < lines.length; li++) {
    const cells = lines[li]!.split(',');
    const cell = (c: (typeof COLUMNS)[number]): string => (cells[at.get(c)!] ?? '').trim();
    const fail = (c: string, why: string): Parsed => ({ ok: false, error: `line ${li + 1}, column ${c}: ${why}; got ${JSON.stringify(cell(c as (typeof COLUMNS)[number]).slice(0, 30))}` });
    const num = (c: (typeof COLUMNS)[number], optional = false): number | null | Parsed => {
      const v = cell(c);
      if (v === '' && optional) return null;
      const n = Number(v);
      return v !== '' && Number.isFinite(n) && n >= 0 ? n : fail(c, 'must be a number ≥ 0');
    };
    const wl = cell('wl');
    if (wl !== 'idle' && wl !== 'write' && wl !== 'read') return fail('wl', 'must be idle, write or read');
    const mode = cell('mode');
    if (mode !== 'precopy' && mode !== 'postcopy' && mode !== 'autoconverge') return fail('mode', 'must be precopy, postcopy or autoconverge');
    // Optional columns of the second series (qemu-7.2-v2): guest memory and multifd channels.
    const opt = (c: string, def: number, min: number, max: number): number | Parsed => {
      if (!at.has(c)) return def;
      const v = (cells[at.get(c)!] ?? '').trim();
      if (v === '') return def;
      const n = Number(v);
      return Number.isInteger(n) && n >= min && n <= max ? n : { ok: false, error: `line ${li + 1}, column ${c}: must be a whole number from ${min} to ${max}; got ${JSON.stringify(v.slice(0, 30))}` };
    };
    const mem = opt('mem', defaultMemMiB, 16, 65536);
    if (typeof mem === 'object') return mem;
    const channels = opt('channels', 1, 1, 16);
    if (typeof channels === 'object') return channels;
    const status = cell('status');
    if (status !== 'completed' && status !== 'cancelled') return fail('status', 'must be completed or cancelled');
    const tag = cell('tag');
    if (!/^[\w.-]{1,60}$/.test(tag)) return fail('tag', 'must be 1–60 letters, digits, dots or dashes');
    const values: Record<string, number | null> = {};
    for (const [c, optional] of [['ws', false], ['rate', false], ['bw', false], ['downtime_limit', false], ['tls', false], ['total_ms', true], ['downtime_ms', true], ['expected_downtime_ms', true], ['transferred', true], ['normal', true], ['duplicate', true], ['rounds', true], ['postcopy_requests', true]] as const) {
      const v = num(c, optional);
      if (v !== null && typeof v === 'object') return v;
      values[c] = v;
    }
    runs.push({
      tag,
      wl,
      ws: values.ws!,
      rate: values.rate!,
      bw: values.bw!,
      downtimeLimitMs: values.downtime_limit!,
      mode,
      mem,
      channels,
      tls: values.tls === 1,
      status,
      gaveUp: cell('gave_up') === 'True',
      totalMs: values.total_ms ?? null,
      downtimeMs: values.downtime_ms ?? null,
      expectedDowntimeMs: values.expected_downtime_ms ?? null,
      transferred: values.transferred ?? null,
      normal: values.normal ?? null,
      duplicate: values.duplicate ?? null,
      syncs: values.rounds ?? null,
      postcopyRequests: values.postcopy_requests ?? null,
    });
  }
  return { ok: true, runs };
}
