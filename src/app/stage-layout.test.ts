import { describe, expect, it } from 'vitest';
import { stageLayout } from './stage-layout';

/** Total width and height the layout uses. */
const extent = (l: ReturnType<typeof stageLayout>, n: number): [number, number] =>
  n <= 1 ? [2 * l.source + l.link + 2 * l.gap, l.source + l.cap] : [l.source + l.link + 2 * l.gap + l.cols * l.dest + (l.cols - 1) * l.dgap, Math.max(l.source + 1.45 * 16, l.rows * (l.dest + l.cap) + (l.rows - 1) * l.dgap)];

describe('stage layout', () => {
  it.each([
    [900, 400, 1],
    [900, 400, 3],
    [1300, 700, 4],
    [600, 300, 6],
  ])('should fit %i×%i px with %i destinations', (w, h, n) => {
    const l = stageLayout(w, h, 16, n);
    const [ew, eh] = extent(l, n);
    expect(ew).toBeLessThanOrEqual(w + 1);
    expect(eh).toBeLessThanOrEqual(h + 1);
    expect(l.source).toBeGreaterThanOrEqual(l.dest);
  });

  it('should put three destinations in one row on a wide, short stage', () => {
    expect(stageLayout(1400, 420, 26, 3).cols).toBe(3);
  });

  it('should size by the width when the box gives no height (a phone)', () => {
    const l = stageLayout(360, 0, 14, 1);
    expect(2 * l.source + l.link + 2 * l.gap).toBeLessThanOrEqual(361);
    expect(l.source).toBeGreaterThan(100);
  });
});
