/**
 * What an eavesdropper on the link would have captured: the first bytes of every page as it last went
 * out (ciphertext when sealed), and a search of everything sent for secrets (the canary test).
 */
import { PAGE_SIZE } from '../../src/core/units';
import type { Protection } from '../crypto/record';
import type { WireSample } from './types';

/** Bytes of every sent page kept for the eavesdropper (a hex dump's worth: 32 MiB for a 1 GiB VM). */
const SAMPLE_BYTES = 128;
const PROTECTION_CODE: Record<Protection, number> = { clear: 1, authenticated: 2, sealed: 3 };
const PROTECTION_OF = [null, 'clear', 'authenticated', 'sealed'] as const;

export class WireTap {
  readonly #bytes: Uint8Array;
  readonly #protection: Uint8Array;
  readonly #link: Uint8Array;
  /** Per page: 1 when it last left as a zero-page marker (no bytes). */
  readonly #zero: Uint8Array;
  readonly #channel: number;
  /** Canary secrets to look for in whole page bodies as they are sent, and how many were seen. */
  #needles: Uint8Array[] = [];
  found = 0;

  constructor(pageCount: number, channel: number) {
    this.#bytes = new Uint8Array(pageCount * SAMPLE_BYTES);
    this.#protection = new Uint8Array(pageCount);
    this.#link = new Uint8Array(pageCount);
    this.#zero = new Uint8Array(pageCount);
    this.#channel = channel;
  }

  watchFor(needles: Uint8Array[]): void {
    this.#needles = needles;
  }

  /** Record what left for `pages` in one record body (3DES bodies start with an 8-byte IV). */
  sample(body: Uint8Array, pages: Uint32Array, protection: Protection, ivBytes: number, link: number, zero = false): void {
    for (let i = 0; i < pages.length; i++) {
      const p = pages[i]!;
      const from = ivBytes + i * PAGE_SIZE;
      this.#zero[p] = zero ? 1 : 0;
      if (zero) this.#bytes.fill(0, p * SAMPLE_BYTES, (p + 1) * SAMPLE_BYTES);
      else this.#bytes.set(body.subarray(from, from + SAMPLE_BYTES), p * SAMPLE_BYTES);
      this.#protection[p] = PROTECTION_CODE[protection];
      this.#link[p] = link;
    }
    if (this.#needles.length) this.found += countNeedles(body, this.#needles);
  }

  get(page: number): WireSample | null {
    const protection = PROTECTION_OF[this.#protection[page] ?? 0];
    if (!protection) return null;
    const bytes = this.#bytes.slice(page * SAMPLE_BYTES, (page + 1) * SAMPLE_BYTES);
    return { page, protection, link: this.#link[page]!, channel: this.#channel, bytes, zero: this.#zero[page] === 1 };
  }
}

/** Occurrences of any needle in `hay` (needles share a first byte: a prefix check first keeps it quick). */
export function countNeedles(hay: Uint8Array, needles: Uint8Array[]): number {
  let n = 0;
  const first = needles[0]?.[0];
  if (first === undefined) return 0;
  for (let i = hay.indexOf(first); i >= 0; i = hay.indexOf(first, i + 1)) {
    for (const needle of needles) {
      if (i + needle.length > hay.length) continue;
      let k = 1;
      while (k < needle.length && hay[i + k] === needle[k]) k++;
      if (k === needle.length) n++;
    }
  }
  return n;
}
