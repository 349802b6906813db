/**
 * Checking a host's memory without moving it. Source and destination each compute a tag over the same
 * page list, in the same segments, with AES-GCM as a MAC (GMAC: the bytes as additional data) under a
 * key drawn fresh for this check and never used for anything else; equal tags mean equal bytes (a
 * difference slips through with probability about 2^-100 for a 1 GiB image, for a key no one chose). GMAC
 * runs ~2.6× faster than SHA-256 here (1.75 against 0.67 GB/s, measured in Node's WebCrypto), and long
 * runs of consecutive pages are tagged where they lie, without a copy. Only when tags differ are pages
 * exported to find which.
 */
import { transfer } from 'comlink';
import { PAGE_SIZE } from '../../src/core/units';
import type { ChannelHost } from './channel-host';
import { CHUNK_PAGES } from './slice';

/** Runs at least this long are tagged in place; shorter ones are gathered into one buffer first. */
const DIRECT_RUN = 64;
const GATHER_PAGES = 4096;
export const CHECK_KEY_BYTES = 16;

export async function checkDigest(host: ChannelHost, pages: Uint32Array, rawKey: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto.subtle;
  if (rawKey.length !== CHECK_KEY_BYTES) throw new Error(`the check key must be ${CHECK_KEY_BYTES} bytes`);
  const key = await subtle.importKey('raw', rawKey as Uint8Array<ArrayBuffer>, 'AES-GCM', false, ['encrypt']);
  const tags: Uint8Array[] = [];
  const gather = new Uint8Array(GATHER_PAGES * PAGE_SIZE);
  let gathered = 0;
  const tag = async (bytes: Uint8Array): Promise<void> => {
    // A unique IV per segment of this check: no (key, nonce) pair repeats.
    const iv = new Uint8Array(12);
    new DataView(iv.buffer).setUint32(8, tags.length);
    tags.push(new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: bytes as Uint8Array<ArrayBuffer>, tagLength: 128 }, key, new Uint8Array(0))));
  };
  const flush = async (): Promise<void> => {
    if (gathered) await tag(gather.subarray(0, gathered * PAGE_SIZE));
    gathered = 0;
  };
  // Segments depend on the page numbers only, so both sides cut the list the same way.
  for (let i = 0; i < pages.length; ) {
    const p0 = pages[i]!;
    const chunkEnd = (Math.floor(p0 / CHUNK_PAGES) + 1) * CHUNK_PAGES;
    let n = 1;
    while (i + n < pages.length && pages[i + n] === p0 + n && p0 + n < chunkEnd) n++;
    if (n >= DIRECT_RUN) {
      await flush();
      await tag(host.mem.span(p0, n) ?? assemble(host, pages.subarray(i, i + n)));
    } else {
      for (let k = 0; k < n; k++) {
        gather.set(pageBytes(host, pages[i + k]!), gathered * PAGE_SIZE);
        if (++gathered === GATHER_PAGES) await flush();
      }
    }
    i += n;
  }
  await flush();
  const all = new Uint8Array(tags.length * 16);
  tags.forEach((t, k) => all.set(t, k * 16));
  return hex(new Uint8Array(await subtle.digest('SHA-256', all)));
}

function assemble(host: ChannelHost, pages: Uint32Array): Uint8Array {
  const out = new Uint8Array(pages.length * PAGE_SIZE);
  pages.forEach((p, k) => out.set(pageBytes(host, p), k * PAGE_SIZE));
  return out;
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
