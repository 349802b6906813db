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
  const mix = (a: ArrayBufferView): void => mixBytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  mix(t.pageClass);
  mix(t.owner);
  for (const group of [t.sends, t.dirties, t.skips, t.faults]) for (const col of Object.values(group)) mix(col);
  mixBytes(new TextEncoder().encode(JSON.stringify(t.phases)));
  mix(new Float64Array([t.pauseAt, t.resumeAt, t.endTime]));
  return (h >>> 0).toString(16).padStart(8, '0');
}
