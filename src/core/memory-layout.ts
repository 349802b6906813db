/**
 * The guest's physical memory at the start of a run: a class per page, laid out in 256 KiB extents
 * shuffled by the seed (so the grid looks like a fragmented real guest), and the workload's working set.
 */
import { PageClass, PAGE_CLASSES } from './page-class';
import { Rng } from './prng';
import type { Scenario } from './scenario-types';
import { MiB, PAGE_SIZE } from './units';

/** Pages per extent: the granularity at which classes are laid out. */
export const EXTENT_PAGES = 64;

export interface MemoryLayout {
  pageCount: number;
  /** PageClass code per page. */
  pageClass: Uint8Array;
  /** The workload's pages; the first `hotCount` are the hot part. */
  workingSet: Uint32Array;
  hotCount: number;
  /** Pages per class at the start. */
  classCounts: Record<(typeof PAGE_CLASSES)[number], number>;
  /**
   * When the program is still allocating (`workload.firstTouchPagesPerS` > 0): the class each working-set
   * page takes at its first touch (they start as zero pages); null otherwise.
   */
  touchClass: Uint8Array | null;
}

export function buildLayout(s: Scenario): MemoryLayout {
  const rng = new Rng(s.seed, 1);
  const pageCount = (s.vm.memoryMiB * MiB) / PAGE_SIZE;
  const extents = Math.ceil(pageCount / EXTENT_PAGES);
  const wsPages = s.workload.kind === 'idle' ? 0 : Math.min(pageCount, Math.ceil((s.workload.workingSetMiB * MiB) / PAGE_SIZE));

  // Extents per class by largest remainder, so the fractions are met as closely as extents allow.
  const want = PAGE_CLASSES.map((c) => s.vm.composition[c] * extents);
  const count = want.map(Math.floor);
  let left = extents - count.reduce((a, b) => a + b, 0);
  const byRemainder = want.map((w, i) => [w - Math.floor(w), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % byRemainder.length, left--) count[byRemainder[k]![1]]!++;

  // The benchmark allocates its working set: anonymous memory taken from free memory first, then by
  // evicting page cache, then zero pages; its file part is read into the page cache from free memory.
  // (Validation guarantees kernel memory is never needed.)
  const wsFile = Math.ceil((wsPages * s.workload.fileShare) / EXTENT_PAGES);
  const wsAnon = Math.ceil(wsPages / EXTENT_PAGES) - wsFile;
  const grow = (cls: number, need: number, donors: number[]): void => {
    for (const donor of donors) {
      const short = need - count[cls]!;
      if (short <= 0) return;
      const take = Math.min(short, count[donor]!);
      count[donor]! -= take;
      count[cls]! += take;
    }
  };
  grow(PageClass.pageCache, wsFile, [PageClass.free, PageClass.zero]);
  grow(PageClass.anon, wsAnon, [PageClass.free, PageClass.zero]);
  grow(PageClass.anon, wsAnon, [PageClass.pageCache]);

  const extentClass = new Uint8Array(extents);
  let at = 0;
  count.forEach((n, cls) => extentClass.fill(cls, at, (at += n)));
  shuffle(extentClass, rng);

  const pageClass = new Uint8Array(pageCount);
  const anonExtents: number[] = [];
  const fileExtents: number[] = [];
  for (let e = 0; e < extents; e++) {
    const cls = extentClass[e]!;
    pageClass.fill(cls, e * EXTENT_PAGES, Math.min(pageCount, (e + 1) * EXTENT_PAGES));
    if (cls === PageClass.anon) anonExtents.push(e);
    else if (cls === PageClass.pageCache) fileExtents.push(e);
  }

  // Working set: anonymous (and file) extents in a seeded order, interleaved so the hot prefix mixes
  // both kinds in proportion.
  const anonOrder = Uint32Array.from(anonExtents);
  const fileOrder = Uint32Array.from(fileExtents);
  shuffle(anonOrder, rng);
  shuffle(fileOrder, rng);
  const workingSet = new Uint32Array(wsPages);
  let w = 0;
  let ai = 0;
  let fi = 0;
  const fileTarget = wsFile * EXTENT_PAGES;
  let fileTaken = 0;
  while (w < wsPages && (ai < anonOrder.length || fi < fileOrder.length)) {
    const wantFile = fileTaken < fileTarget && (fileTaken * wsPages <= w * fileTarget || ai >= anonOrder.length);
    const e = wantFile && fi < fileOrder.length ? fileOrder[fi++]! : ai < anonOrder.length ? anonOrder[ai++]! : fileOrder[fi++]!;
    const first = e * EXTENT_PAGES;
    const isFile = pageClass[first] === PageClass.pageCache;
    for (let p = first; p < Math.min(pageCount, first + EXTENT_PAGES) && w < wsPages; p++) {
      workingSet[w++] = p;
      if (isFile) fileTaken++;
    }
  }
  // A program still allocating: its pages are fresh zero pages until it first writes them.
  let touchClass: Uint8Array | null = null;
  if (s.workload.firstTouchPagesPerS > 0) {
    touchClass = new Uint8Array(w);
    for (let i = 0; i < w; i++) {
      touchClass[i] = pageClass[workingSet[i]!]!;
      pageClass[workingSet[i]!] = PageClass.zero;
    }
  }
  const classCounts = Object.fromEntries(PAGE_CLASSES.map((c) => [c, 0])) as MemoryLayout['classCounts'];
  const tally = new Float64Array(PAGE_CLASSES.length);
  // Counted by extent (92 million pages would be a loop of ~100 ms), then the pages a still-allocating program made zero.
  for (let e = 0; e < extents; e++) tally[extentClass[e]!]! += Math.min(pageCount, (e + 1) * EXTENT_PAGES) - e * EXTENT_PAGES;
  if (touchClass) {
    for (let i = 0; i < touchClass.length; i++) tally[touchClass[i]!]!--;
    tally[PageClass.zero]! += touchClass.length;
  }
  PAGE_CLASSES.forEach((c, i) => (classCounts[c] = tally[i]!));
  return {
    pageCount,
    pageClass,
    workingSet: workingSet.subarray(0, w),
    hotCount: Math.max(1, Math.round(w * s.workload.hotFraction)),
    classCounts,
    touchClass,
  };
}

function shuffle(a: Uint8Array | Uint32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}
