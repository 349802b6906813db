/**
 * Paint one host's memory grid into a pixel buffer (one pixel per cell, a cell per page or per group
 * of pages). Kept out of the component so the benchmark times exactly what the stage draws.
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

export function gridShape(pageCount: number): GridShape {
  const perCell = Math.max(1, Math.ceil(pageCount / MAX_CELLS));
  const cells = Math.ceil(pageCount / perCell);
  const cols = 2 ** Math.ceil(Math.log2(Math.sqrt(cells)));
  return { cells, perCell, cols, rows: Math.ceil(cells / cols) };
}

export function paintGrid(
  px: Uint32Array,
  shape: GridShape,
  pb: Playback,
  trace: Trace,
  host: number,
  flightWindow: number,
  selected: number | null,
): void {
  const { state, loc } = pb;
  const owner = trace.owner;
  const { cells, perCell } = shape;
  const unused = STATE_PIXELS[PageState.unused]!;
  const elsewhere = STATE_PIXELS[PageState.residentElsewhere]!;
  const cleanPx = STATE_PIXELS[PageState.clean]!;
  for (let c = 0; c < cells; c++) {
    const p = c * perCell;
    const st = state[p]!;
    let v: number;
    if (host === 0) v = st === PageState.storedEncrypted ? cleanPx : STATE_PIXELS[st]!;
    else if (st === PageState.unused) v = unused;
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
      if (host === 0 ? sends.from[i] === 0 : sends.to[i] === host || sends.from[i] === host) px[Math.floor(sends.page[i]! / perCell)] = flight;
    }
  }
  if (selected !== null && selected < trace.pageCount) px[Math.floor(selected / perCell)] = 0xff000000;
}
