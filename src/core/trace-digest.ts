/**
 * A short fingerprint of a whole trace (FNV-1a over every column's bytes and the phase records), so
 * tests can check that two runs — in Node and in a browser — are identical without shipping megabytes.
 */
import type { Trace } from './trace';

export function traceDigest(t: Trace): string {
  let h = 0x811c9dc5;
  const mixBytes = (bytes: Uint8Array): void => {
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  };
  const mix = (a: ArrayBufferView): void => {
    // The same byte-by-byte FNV-1a, read four bytes at a time where the view is aligned (a what-if
    // re-run digests megabytes of trace before the stage can show it); bytes in memory order, as the
    // byte loop reads them, on the little-endian platforms JS engines run on.
    const whole = LITTLE_ENDIAN && a.byteOffset % 4 === 0 ? a.byteLength >>> 2 : 0;
    if (whole > 0) {
      const words = new Uint32Array(a.buffer, a.byteOffset, whole);
      let x = h;
      for (let i = 0; i < whole; i++) {
        const w = words[i]!;
        x = Math.imul(x ^ (w & 0xff), 0x01000193);
        x = Math.imul(x ^ ((w >>> 8) & 0xff), 0x01000193);
        x = Math.imul(x ^ ((w >>> 16) & 0xff), 0x01000193);
        x = Math.imul(x ^ (w >>> 24), 0x01000193);
      }
      h = x;
    }
    mixBytes(new Uint8Array(a.buffer, a.byteOffset + whole * 4, a.byteLength - whole * 4));
  };
  mix(t.pageClass);
  mix(t.owner);
  for (const group of [t.sends, t.dirties, t.skips, t.faults]) for (const col of Object.values(group)) mix(col);
  mixBytes(new TextEncoder().encode(JSON.stringify(t.phases)));
  mix(new Float64Array([t.pauseAt, t.resumeAt, t.endTime]));
  return (h >>> 0).toString(16).padStart(8, '0');
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
