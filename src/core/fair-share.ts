/**
 * Max-min fair sharing (water-filling): how a link's bandwidth is split among streams and how a
 * machine's cores are split among threads (Linux's CFS gives runnable threads equal shares). Each
 * claimant gets what it asks for if that is below the fair level, and the rest is shared equally.
 */

/** Max-min fair shares of `capacity` among claimants each asking at most `caps[i]`. */
export function maxMinShare(caps: readonly number[], capacity: number): number[] {
  const share = new Array<number>(caps.length).fill(0);
  const order = caps.map((_, i) => i).sort((a, b) => caps[a]! - caps[b]! || a - b);
  let left = capacity;
  order.forEach((i, k) => {
    const fair = left / (order.length - k);
    share[i] = Math.min(caps[i]!, fair);
    left -= share[i]!;
  });
  return share;
}

/**
 * The water level of a max-min allocation: the share an elastic claimant (one that would take
 * anything) gets. Every claimant asking less than the level gets its ask; the others get the level.
 */
export function waterLevel(caps: readonly number[], capacity: number): number {
  const sorted = [...caps].sort((a, b) => a - b);
  let left = capacity;
  for (let k = 0; k < sorted.length; k++) {
    const fair = left / (sorted.length - k);
    if (sorted[k]! >= fair) return fair;
    left -= sorted[k]!;
  }
  return Infinity;
}
