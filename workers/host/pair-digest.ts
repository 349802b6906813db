/**
 * An order-free digest of (page, version) pairs: the sum, modulo 2^64, of a 64-bit mix of each pair.
 * Sender and receiver build it over what they sent and accepted on a channel; equal digests and counts
 * mean every page version arrived, whatever order the records came in. It travels inside an
 * authenticated manifest, so it only has to catch loss, not forgery.
 */
export class PairDigest {
  #lo = 0;
  #hi = 0;
  pairs = 0;

  add(pages: Uint32Array, versions: Uint32Array): void {
    for (let i = 0; i < pages.length; i++) {
      let a = Math.imul(pages[i]! ^ 0x9e3779b9, 0x85ebca6b) ^ versions[i]!;
      a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
      a = (a ^ (a >>> 16)) >>> 0;
      let b = Math.imul(versions[i]! ^ 0x7f4a7c15, 0x27d4eb2f) ^ pages[i]!;
      b = Math.imul(b ^ (b >>> 15), 0x165667b1);
      b = (b ^ (b >>> 13)) >>> 0;
      const lo = this.#lo + a;
      this.#lo = lo >>> 0;
      this.#hi = (this.#hi + b + (lo > 0xffffffff ? 1 : 0)) >>> 0;
    }
    this.pairs += pages.length;
  }

  get hex(): string {
    return this.#hi.toString(16).padStart(8, '0') + this.#lo.toString(16).padStart(8, '0');
  }
}
