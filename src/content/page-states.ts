/**
 * Colours and names of page states on the memory grids. Okabe–Ito colours (safe for colour-blind
 * viewers), chosen with distinct brightness so they stay apart in greyscale; each has a text name.
 */
import { PageState, type PageStateCode } from '../core/index';

export interface StateStyle {
  state: PageStateCode;
  label: string;
  color: string;
  help: string;
}

export const STATE_STYLES: StateStyle[] = [
  { state: PageState.notSent, label: 'not yet sent', color: '#d4d4d4', help: 'Still only on the source.' },
  { state: PageState.clean, label: 'sent and clean', color: '#0072b2', help: 'The destination holds the current bytes.' },
  { state: PageState.dirty, label: 'dirty: must go again', color: '#e69f00', help: 'Written after it was sent (or during its round): it is sent again next round.' },
  { state: PageState.inFlight, label: 'in flight', color: '#f0e442', help: 'On the link right now.' },
  { state: PageState.storedEncrypted, label: 'stored encrypted', color: '#8e3b73', help: 'A sub host keeps it as ciphertext and cannot read it (SEmigrate).' },
  { state: PageState.unused, label: 'unused: skipped', color: '#ffffff', help: 'Free memory: FCtrans never sends or pages it.' },
  { state: PageState.zero, label: 'zero page', color: '#56b4e9', help: 'All zero: sent as an 8-byte marker.' },
  { state: PageState.residentElsewhere, label: 'on another host', color: '#9a9a9a', help: 'Held by another destination host.' },
  { state: PageState.faulted, label: 'faulted', color: '#d55e00', help: 'The VM touched it before it arrived and is waiting for it.' },
  { state: PageState.touched, label: 'touched after arriving (minor fault)', color: '#009e73', help: 'Post-copy: the VM touched it after it arrived; mapped locally, no network trip.' },
];

/** Packed RGBA (little-endian ABGR) per state code, for writing canvas pixels. */
export const STATE_PIXELS: Uint32Array = (() => {
  const out = new Uint32Array(16);
  for (const st of STATE_STYLES) out[st.state] = pixelOf(st.color);
  return out;
})();

/** A lighter tint for pages a destination will receive but does not hold yet (partitioning). */
export const PENDING_PIXEL = 0xffeeeeee;
export const EMPTY_PIXEL = 0xfff7f7f7;

/** Pack a #rrggbb colour as a canvas pixel (little-endian ABGR). */
export function pixelOf(color: string): number {
  const v = parseInt(color.slice(1), 16);
  return ((0xff << 24) | ((v & 0xff) << 16) | (((v >> 8) & 0xff) << 8) | (v >> 16)) >>> 0;
}

/**
 * One colour per destination of a split migration (main host first): the source's sent pages, the
 * wire to each host and its grid's caption share it, so a learner sees which page went where.
 * Okabe–Ito hues not used for page states in a split run (which has no post-copy).
 */
export const DEST_COLORS = ['#0072b2', '#009e73', '#cc79a7', '#8b6b00', '#5d3a9b', '#117733', '#aa4499', '#44546a'] as const;
export const DEST_PIXELS: Uint32Array = Uint32Array.from(DEST_COLORS, pixelOf);

/** What a run can show, so the legend lists only the states a learner may meet on this stage. */
export interface RunFeatures {
  split: boolean;
  postcopy: boolean;
  semigrate: boolean;
  skipUnused: boolean;
  writes: boolean;
  zeroPages: boolean;
  remotePaging: boolean;
}

export function statesShown(f: RunFeatures): StateStyle[] {
  const show = new Set<PageStateCode>([0, 1, 3]);
  if (f.writes) show.add(2);
  if (f.semigrate) show.add(4);
  if (f.skipUnused) show.add(5);
  if (f.zeroPages) show.add(6);
  if (f.split) show.add(7);
  if (f.postcopy || f.remotePaging) show.add(8);
  if (f.postcopy) show.add(9);
  return STATE_STYLES.filter((s) => show.has(s.state));
}
