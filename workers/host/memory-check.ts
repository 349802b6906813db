/**
 * Checking a host's memory without moving it: a SHA-256 over the wanted pages in order, computed in the
 * worker (16 MiB at a time into one scratch buffer, then a digest of the chunk digests). The source and
 * the destination side compute it over the same page list; equal digests are as strict as comparing
 * the bytes. Only when they differ are pages exported to find which.
 */
import { transfer } from 'comlink';
import { PAGE_SIZE } from '../../src/core/units';
import type { ChannelHost } from './channel-host';

const CHUNK_PAGES = 4096;

export async function checkDigest(host: ChannelHost, pages: Uint32Array): Promise<string> {
  const subtle = globalThis.crypto.subtle;
  const chunk = new Uint8Array(Math.min(pages.length, CHUNK_PAGES) * PAGE_SIZE);
  const digests: Uint8Array[] = [];
  for (let at = 0; at < pages.length; at += CHUNK_PAGES) {
    const n = Math.min(CHUNK_PAGES, pages.length - at);
    for (let i = 0; i < n; i++) chunk.set(pageBytes(host, pages[at + i]!), i * PAGE_SIZE);
    digests.push(new Uint8Array(await subtle.digest('SHA-256', chunk.subarray(0, n * PAGE_SIZE))));
  }
  const all = new Uint8Array(digests.length * 32);
  digests.forEach((d, i) => all.set(d, i * 32));
  return hex(new Uint8Array(await subtle.digest('SHA-256', all)));
}

/** A page's bytes as this host holds them (zeros when it holds nothing). */
function pageBytes(host: ChannelHost, p: number): Uint8Array {
  return host.mem.present[p] ? host.mem.page(p) : ZERO;
}
const ZERO = new Uint8Array(PAGE_SIZE);

export function exportPages(host: ChannelHost, pages: Uint32Array): { bytes: Uint8Array; versions: Uint32Array; present: Uint8Array } {
  const bytes = new Uint8Array(pages.length * PAGE_SIZE);
  const versions = new Uint32Array(pages.length);
  const present = new Uint8Array(pages.length);
  pages.forEach((p, i) => {
    if (host.mem.present[p]) bytes.set(host.mem.page(p), i * PAGE_SIZE);
    versions[i] = host.versions[p]!;
    present[i] = host.mem.present[p]!;
  });
  const out = { bytes, versions, present };
  // Moved, not copied, back to the caller (a no-op in the same thread).
  return transfer(out, [bytes.buffer, versions.buffer, present.buffer]);
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
