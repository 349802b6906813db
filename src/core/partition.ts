/**
 * Which destination host receives each page. One destination: all pages go to it. Split migration:
 * `access-aware` gives the main host the pages the guest is likely to touch (hot working set, kernel,
 * then the rest of the working set and page cache) up to its capacity and spreads the rest over the
 * sub hosts by capacity; `address-range` cuts guest-physical memory into ranges by capacity (the
 * naive baseline). With FCtrans, unused pages take no capacity: they are placed on the main host
 * and never sent.
 */
import type { MemoryLayout } from './memory-layout';
import { forUsedRuns } from './used-runs';
import { PageClass } from './page-class';
import type { Scenario } from './scenario-types';
import { MiB, PAGE_SIZE } from './units';

/** Priority of a page class for the main host under access-aware partitioning (lower goes first). */
const CLASS_PRIORITY: Record<number, number> = {
  [PageClass.kernelCode]: 1,
  [PageClass.kernelData]: 1,
  [PageClass.anon]: 3,
  [PageClass.pageCache]: 4,
  [PageClass.zero]: 5,
  [PageClass.free]: 6,
};

export function partitionPages(s: Scenario, layout: MemoryLayout): Uint8Array {
  const n = layout.pageCount;
  const owner = new Uint8Array(n);
  const hosts = s.destinations.length;
  if (hosts === 1) return owner;
  const cap = s.destinations.map((d) => Math.floor((d.capacityMiB * MiB) / PAGE_SIZE));
  const skipFree = s.split.skipUnused;
  const cls = layout.pageClass;
  const FREE = PageClass.free;
  const placed = (p: number): boolean => skipFree && cls[p] === FREE;

  if (s.split.policy === 'address-range') {
    let needed = 0;
    for (let p = 0; p < n; p++) if (!placed(p)) needed++;
    const total = cap.reduce((a, b) => a + b, 0);
    // Each host takes a share of the address space proportional to its capacity.
    const quota = cap.map((c) => Math.ceil((needed * c) / total));
    let host = 0;
    let used = 0;
    for (let p = 0; p < n; p++) {
      if (placed(p)) continue;
      while (used >= quota[host]! && host < hosts - 1) {
        host++;
        used = 0;
      }
      owner[p] = host;
      used++;
    }
    return owner;
  }

  // Access-aware: rank pages, fill the main host, then the sub hosts by capacity share.
  const rank = new Uint8Array(n);
  const priority = new Uint8Array(8);
  for (const [c, r] of Object.entries(CLASS_PRIORITY)) priority[Number(c)] = r;
  // Only the pages to be placed need a rank (with FCtrans the free ones stay where they are).
  const each = (fn: (from: number, to: number) => void): void => (skipFree ? forUsedRuns(cls, fn) : fn(0, n));
  each((from, to) => {
    for (let p = from; p < to; p++) rank[p] = priority[cls[p]!]!;
  });
  const ws = layout.workingSet;
  for (let k = 0; k < ws.length; k++) rank[ws[k]!] = k < layout.hotCount ? 0 : 2;
  const buckets: number[] = new Array(8).fill(0);
  each((from, to) => {
    for (let p = from; p < to; p++) buckets[rank[p]!]!++;
  });
  // Main host takes whole ranks while they fit, then the first pages (by address) of the rank that
  // straddles its capacity; everything after goes to the sub hosts.
  let allowance = cap[0]!;
  const takeAll: boolean[] = [];
  let partialRank = -1;
  for (let r = 0; r < 8; r++) {
    takeAll[r] = buckets[r]! <= allowance && partialRank < 0;
    if (takeAll[r]) allowance -= buckets[r]!;
    else if (partialRank < 0) partialRank = r;
  }
  const toMain = cap[0]! - allowance + (partialRank >= 0 ? Math.min(allowance, buckets[partialRank]!) : 0);
  const rest = buckets.reduce((a, b) => a + b, 0) - toMain;
  const subCap = cap.slice(1);
  const subTotal = subCap.reduce((a, b) => a + b, 0);
  const quota = subCap.map((c) => Math.ceil((rest * c) / subTotal));
  let sub = 0;
  let used = 0;
  each((from, to) => {
    for (let p = from; p < to; p++) {
      const r = rank[p]!;
      if (takeAll[r]) continue;
      if (r === partialRank && allowance > 0) {
        allowance--;
        continue;
      }
      while (used >= quota[sub]! && sub < subCap.length - 1) {
        sub++;
        used = 0;
      }
      owner[p] = sub + 1;
      used++;
    }
  });
  return owner;
}
