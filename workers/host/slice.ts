/**
 * How a host's memory is divided among its channel workers: in 1 MiB chunks of 256 pages, dealt round
 * robin. Every version of a page travels on the same channel, so versions stay ordered without shared
 * memory (no SharedArrayBuffer: it would break iframe embedding), and each worker holds only its slice.
 */
export const CHUNK_PAGES = 256;

export function channelOf(page: number, channels: number): number {
  return ((page / CHUNK_PAGES) | 0) % channels;
}

/** Split `pages` by channel, keeping their order within each. */
export function byChannel(pages: Uint32Array, channels: number): Uint32Array[] {
  if (channels === 1) return [pages];
  const counts = new Uint32Array(channels);
  for (let i = 0; i < pages.length; i++) counts[channelOf(pages[i]!, channels)]!++;
  const out = Array.from(counts, (n) => new Uint32Array(n));
  const fill = new Uint32Array(channels);
  for (let i = 0; i < pages.length; i++) {
    const c = channelOf(pages[i]!, channels);
    out[c]![fill[c]!++] = pages[i]!;
  }
  return out;
}
