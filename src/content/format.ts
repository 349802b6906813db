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

/** A metric in milliseconds as QEMU reports it, with its precision: 273.1 ms, 14.21 s (from 10 s up). */
export const formatMs = (v: number | null): string => (v === null || !Number.isFinite(v) ? '—' : v >= 10_000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
/** Playback time: 850 ms, 12.40 s. */
export const formatClock = (t: number): string => (t < 10 ? `${count(t * 1000)} ms` : `${t.toFixed(2)} s`);
/** Bytes as MiB with one decimal, as the metrics panel shows them: 253.4 MiB */
export const formatMiB = (b: number, digits = 1): string => `${(b / MiB).toFixed(digits)} MiB`;
