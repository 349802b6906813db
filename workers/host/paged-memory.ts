/**
 * A host's copy of guest memory: one large buffer per 1 MiB chunk, allocated when first written, so a
 * sub host holding a quarter of a VM spends a quarter of its memory. Never one object per page.
 */
import { PAGE_SIZE } from '../../src/core/units';

const CHUNK_PAGES = 256;

export class PagedMemory {
  readonly pageCount: number;
  readonly #chunks: (Uint8Array | undefined)[];
  /** Per page: 1 when this host holds it. */
  readonly present: Uint8Array;

  constructor(pageCount: number) {
    this.pageCount = pageCount;
    this.#chunks = new Array(Math.ceil(pageCount / CHUNK_PAGES));
    this.present = new Uint8Array(pageCount);
  }

  /** The page's bytes, allocating its chunk when needed. */
  page(p: number): Uint8Array {
    const c = (p / CHUNK_PAGES) | 0;
    let chunk = this.#chunks[c];
    if (!chunk) this.#chunks[c] = chunk = new Uint8Array(CHUNK_PAGES * PAGE_SIZE);
    const at = (p % CHUNK_PAGES) * PAGE_SIZE;
    return chunk.subarray(at, at + PAGE_SIZE);
  }

  /**
   * Pages p … p+n−1 as one view, when they lie in one chunk and this host holds every one of them
   * (else null: the caller assembles them, zeros where a page is absent).
   */
  span(p: number, n: number): Uint8Array | null {
    const c = (p / CHUNK_PAGES) | 0;
    const chunk = this.#chunks[c];
    if (!chunk || (((p + n - 1) / CHUNK_PAGES) | 0) !== c) return null;
    for (let k = 0; k < n; k++) if (!this.present[p + k]) return null;
    const at = (p % CHUNK_PAGES) * PAGE_SIZE;
    return chunk.subarray(at, at + n * PAGE_SIZE);
  }

  write(p: number, bytes: Uint8Array): void {
    this.page(p).set(bytes.subarray(0, PAGE_SIZE));
    this.present[p] = 1;
  }

  /**
   * Write `pages[i]` from `body[i·PAGE_SIZE…]` for every i: a run of consecutive pages inside one chunk
   * (a record's pages, as the scan sends them) is one copy, not one per page — the page-by-page copy
   * cost 12–13 µs a page in the pipeline.
   */
  writeMany(pages: ArrayLike<number>, body: Uint8Array): void {
    const n = pages.length;
    let i = 0;
    while (i < n) {
      const p = pages[i]!;
      const c = (p / CHUNK_PAGES) | 0;
      let k = 1;
      while (i + k < n && pages[i + k] === p + k && (((p + k) / CHUNK_PAGES) | 0) === c) k++;
      let chunk = this.#chunks[c];
      if (!chunk) this.#chunks[c] = chunk = new Uint8Array(CHUNK_PAGES * PAGE_SIZE);
      chunk.set(body.subarray(i * PAGE_SIZE, (i + k) * PAGE_SIZE), (p % CHUNK_PAGES) * PAGE_SIZE);
      this.present.fill(1, p, p + k);
      i += k;
    }
  }

  /** Bytes currently allocated (for the memory figures). */
  get allocatedBytes(): number {
    return this.#chunks.reduce((n, c) => n + (c ? c.length : 0), 0);
  }
}
