/**
 * An experiment's results as CSV: one row per plotted point, the numbers exactly as plotted (full
 * precision, no formatting), so a spreadsheet redraws the same figure.
 */
import type { ExperimentSpec, PointResult } from '../core/index';

const cell = (v: unknown): string => {
  const t = v === null || v === undefined ? '' : String(v);
  // Quote what a spreadsheet would split or evaluate (a leading = + - @ starts a formula).
  return /[",\n\r]|^[=+\-@]/.test(t) && !/^-?\d/.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
};

export function experimentCsv(spec: ExperimentSpec, results: readonly PointResult[]): string {
  const head = [spec.facet?.field ?? 'panel', spec.series?.field ?? 'series', spec.x.field, spec.baseline ? `${spec.y} overhead %` : spec.y, spec.y, spec.baseline ? `${spec.y} at ${spec.baseline.field}=${String(spec.baseline.value)}` : 'baseline', 'converged', 'error'];
  const rows = [...results]
    .sort((a, b) => String(a.facet).localeCompare(String(b.facet)) || String(a.series).localeCompare(String(b.series)) || a.x - b.x)
    .map((r) => [r.facet, r.series, r.x, r.y, r.raw, r.baseline, r.converged, r.error].map(cell).join(','));
  return [head.map(cell).join(','), ...rows].join('\n') + '\n';
}
