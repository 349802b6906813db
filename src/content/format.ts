/**
 * Every number the app shows is formatted here, on d3-format, so a count, a size, a time and a share
 * read the same in every panel, chart, table and export.
 */
import { format } from 'd3-format';
import { MiB } from '../core/units';

const count = format(',.0f');
const sig3 = format(',.3~r');
const pct1 = format('.1%');

/** 12,345 */
export const formatCount = (n: number): string => count(n);
/** Three significant digits: 1.23, 12.3, 1,230 */
export const formatNumber = (n: number): string => (Number.isFinite(n) ? sig3(n) : '—');
/** 12.5 % */
export const formatShare = (f: number): string => pct1(f).replace('%', ' %');
/** 1.2 MiB, 830 KiB, 3.4 GiB */
export function formatBytes(b: number): string {
  if (b >= 1024 * MiB) return `${sig3(b / (1024 * MiB))} GiB`;
  if (b >= MiB) return `${sig3(b / MiB)} MiB`;
  if (b >= 1024) return `${sig3(b / 1024)} KiB`;
  return `${count(b)} B`;
}
/** 350 ms, 2.41 s, 3 min 20 s */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '—';
  if (s < 1) return `${sig3(s * 1000)} ms`;
  if (s < 120) return `${sig3(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
