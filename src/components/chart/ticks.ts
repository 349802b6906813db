/**
 * Tick values the charts share: 1-2-5 steps on log axes (d3's log ticks label too many), thinned to
 * powers of ten when a range spans many decades.
 */
export function logTicks(lo: number, hi: number, most = 7): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) for (const m of [1, 2, 5]) out.push(m * 10 ** e);
  const inside = out.filter((t) => t >= lo * 0.999 && t <= hi * 1.001);
  return inside.length > most ? inside.filter((t) => String(t).startsWith('1')) : inside;
}

/** Labels that would overlap are pushed apart along y, keeping their order (series end labels). */
export function spreadLabels<T extends { y: number }>(labels: T[], gap: number): T[] {
  const sorted = [...labels].sort((a, b) => a.y - b.y);
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.y - sorted[i - 1]!.y < gap) sorted[i]!.y = sorted[i - 1]!.y + gap;
  return sorted;
}
