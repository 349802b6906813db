/**
 * Paint one host's memory grid into a pixel buffer (one pixel per cell, a cell per page or per group
 * of pages). Kept out of the component so the benchmark times exactly what the stage draws.
 *
 * A sub host of a split migration shows only the pages dealt to it (`pages`), so its cells stay as
 * large as the source's instead of a 0.3 px sliver of the whole VM; the source of a split migration
 * colours each sent page by the host it went to (`dealt`), so the partitioning is seen as it happens.
 */
import { PageState, type Playback, type Trace } from '../core/index';
import { EMPTY_PIXEL, PENDING_PIXEL, STATE_PIXELS } from '../content/page-states';

export interface GridShape {
  cells: number;
  perCell: number;
  cols: number;
  rows: number;
}

/** At most this many cells per grid (1 GiB of pages): bigger VMs group pages into cells. */
export const MAX_CELLS = 262_144;

/**
 * Cells of at most `maxCells`; in presentation mode the stage asks for coarser cells (fewer, larger),
 * so a page group is visible from the back of a hall.
 */
export function gridShape(pageCount: number, maxCells = MAX_CELLS): GridShape {
  const perCell = Math.max(1, Math.ceil(pageCount / maxCells));
  const cells = Math.max(1, Math.ceil(pageCount / perCell));
  const cols = 2 ** Math.ceil(Math.log2(Math.sqrt(cells)));
  return { cells, perCell, cols, rows: Math.ceil(cells / cols) };
}

/** The pages dealt to destination `host` (1 = main host), in page order: a sub host's compact view. */
const dealtCache = new WeakMap<Trace, Map<number, Uint32Array>>();
export function pagesDealtTo(trace: Trace, host: number): Uint32Array {
  let perHost = dealtCache.get(trace);
  if (!perHost) dealtCache.set(trace, (perHost = new Map()));
  let pages = perHost.get(host);
  if (!pages) {
    const owner = trace.owner;
    let n = 0;
    for (let p = 0; p < owner.length; p++) if (owner[p] === host - 1) n++;
    pages = new Uint32Array(n);
    for (let p = 0, i = 0; p < owner.length; p++) if (owner[p] === host - 1) pages[i++] = p;
    perHost.set(host, pages);
  }
  return pages;
}

export interface PaintOptions {
  /** Compact view: the pages this grid shows, in order (a sub host's share). Null: every page. */
  pages?: Uint32Array | null;
  /** Source of a split migration: the pixel of each destination, for pages sent to it. */
  dealt?: Uint32Array | null;
}

export function paintGrid(
  px: Uint32Array,
  shape: GridShape,
  pb: Playback,
  trace: Trace,
  host: number,
  flightWindow: number,
  selected: number | null,
  opts: PaintOptions = {},
): void {
  const { state, loc } = pb;
  const owner = trace.owner;
  const { cells, perCell } = shape;
  const pages = opts.pages ?? null;
  const dealt = opts.dealt ?? null;
  const unused = STATE_PIXELS[PageState.unused]!;
  const elsewhere = STATE_PIXELS[PageState.residentElsewhere]!;
  const cleanPx = STATE_PIXELS[PageState.clean]!;
  for (let c = 0; c < cells; c++) {
    const p = pages ? pages[c * perCell]! : c * perCell;
    const st = state[p]!;
    let v: number;
    if (host === 0) {
      if (dealt && (st === PageState.clean || st === PageState.storedEncrypted || st === PageState.zero)) v = dealt[owner[p]!] ?? cleanPx;
      else v = st === PageState.storedEncrypted ? cleanPx : STATE_PIXELS[st]!;
    } else if (st === PageState.unused) v = unused;
    else if (loc[p] === host) v = STATE_PIXELS[st]!;
    else if (owner[p] === host - 1) v = loc[p]! > 0 ? elsewhere : PENDING_PIXEL;
    else v = EMPTY_PIXEL;
    px[c] = v;
  }
  px.fill(EMPTY_PIXEL, cells);
  if (flightWindow > 0) {
    const [from, to] = pb.inFlight(flightWindow);
    const sends = trace.sends;
    const hi = Math.min(to, from + 200_000);
    const flight = STATE_PIXELS[PageState.inFlight]!;
    for (let i = from; i < hi; i++) {
      if (host === 0 ? sends.from[i] === 0 : sends.to[i] === host || sends.from[i] === host) {
        const c = cellOf(sends.page[i]!, perCell, pages);
        if (c >= 0) px[c] = flight;
      }
    }
  }
  if (selected !== null && selected < trace.pageCount) {
    const c = cellOf(selected, perCell, pages);
    if (c >= 0) px[c] = 0xff000000;
  }
}

/** The cell that shows page `p` (−1 when a compact grid does not show it). */
export function cellOf(p: number, perCell: number, pages: Uint32Array | null): number {
  if (!pages) return Math.floor(p / perCell);
  let lo = 0;
  let hi = pages.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pages[mid]! < p) lo = mid + 1;
    else hi = mid;
  }
  return lo < pages.length && pages[lo] === p ? Math.floor(lo / perCell) : -1;
}

/** The page a cell shows (its first page). */
export function pageOfCell(c: number, perCell: number, pages: Uint32Array | null): number {
  return pages ? (pages[c * perCell] ?? -1) : c * perCell;
}
