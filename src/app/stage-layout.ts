/**
 * Where the stage's grids go, from the box the layout gives it: grids as large as the height allows (one
 * screen on a projector), never wider than their share of the width; a phone's layout gives no height,
 * so there the width decides. A split migration puts its destinations in a small grid (main host first)
 * beside a larger source, choosing the arrangement (1 to n columns) and source size that put the most
 * grid area on screen, the source never smaller than a destination. Pure, so it is tested apart.
 */
export interface StageLayout {
  /** Width of the link between the hosts, px. */
  link: number;
  gap: number;
  /** Side of the source's grid, px. */
  source: number;
  /** Side of each destination's grid, px. */
  dest: number;
  cols: number;
  rows: number;
  /** Gap between destinations (room for the paging lines), px. */
  dgap: number;
  /** Height of a destination's caption and activity line, px. */
  cap: number;
}

/** @param w,h the stage's box, px; @param em its font size, px; @param destinations how many hosts receive. */
export function stageLayout(w: number, h: number, em: number, destinations: number): StageLayout {
  const cap = 1.45 * em;
  const link = Math.max(4.5 * em, Math.min(8 * em, w * 0.12));
  const gap = 0.6 * em;
  const width = Math.max(120, w - link - 2 * gap);
  const height = h > 4 * em ? h : Infinity;
  if (destinations <= 1) {
    const side = Math.max(60, Math.min(height - cap, width / 2));
    return { link, gap, source: side, dest: side, cols: 1, rows: 1, dgap: 0, cap };
  }
  const n = destinations;
  const dgap = 1.6 * em;
  const sub2 = cap * 0.9; // a destination's activity line under its grid
  let best = { source: 60, dest: 40, cols: Math.ceil(Math.sqrt(n)), score: -1 };
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    for (let f = 0.2; f <= 0.61; f += 0.02) {
      const source = Math.min(height - cap, width * f);
      const dw = width - source - gap;
      const dest = Math.min((dw - (cols - 1) * dgap) / cols, (height - rows * (cap + sub2) - (rows - 1) * dgap) / rows);
      if (dest <= 20 || source < dest) continue;
      const score = source * source + n * dest * dest;
      if (score > best.score) best = { source, dest, cols, score };
    }
  }
  const cols = best.cols;
  return { link, gap, source: Math.max(60, best.source), dest: Math.max(40, best.dest), cols, rows: Math.ceil(n / cols), dgap, cap: cap + sub2 };
}
