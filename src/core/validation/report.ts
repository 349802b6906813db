/** The validation as plain text: one row per measured run, measured against predicted, with errors. */
import type { Comparison } from './compare';

const pct = (e: number | null): string => (e === null ? '' : `${e >= 0 ? '+' : ''}${(e * 100).toFixed(1)}%`);
const s = (ms: number | null): string => (ms === null ? '—' : (ms / 1000).toFixed(2));
const mb = (b: number | null): string => (b === null ? '—' : (b / 1e6).toFixed(1));

export function formatTable(rows: readonly Comparison[]): string {
  const head = ['run', 'outcome (m/p)', 'time s (m/p)', 'err', 'MB (m/p)', 'err', 'downtime ms (m/p)', 'exp. ms (m/p)', 'syncs (m/p)', 'requests (m/p)', 'zero pages (m/p)'];
  const body = rows.map((r) => [
    r.run.tag,
    `${r.run.status}/${r.predicted.status}${r.outcomeRight ? '' : ' ✗'}`,
    `${s(r.run.totalMs)}/${s(r.predicted.totalMs)}`,
    pct(r.timeError),
    `${mb(r.run.transferred)}/${mb(r.predicted.transferred)}`,
    pct(r.bytesError),
    `${r.run.downtimeMs ?? '—'}/${r.predicted.status === 'completed' ? r.predicted.downtimeMs.toFixed(0) : '—'}`,
    `${r.run.expectedDowntimeMs ?? '—'}/${r.predicted.expectedDowntimeMs === null ? '—' : r.predicted.expectedDowntimeMs.toFixed(0)}`,
    `${r.run.syncs ?? '—'}/${r.predicted.syncs}`,
    `${r.run.postcopyRequests ?? '—'}/${r.run.mode === 'postcopy' ? r.predicted.postcopyRequests : '—'}`,
    `${r.run.duplicate ?? '—'}/${r.predicted.duplicate}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
