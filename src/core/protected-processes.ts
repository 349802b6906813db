/**
 * Protection metadata for processes the hypervisor shields from the guest OS (Zhang & Chen): for each
 * protected process, the guest pages it owns and the digest of its protection key. The destination
 * must install exactly this before the VM resumes, or the guest OS could read a protected process's
 * memory. Seeded, so the model and the real hosts agree on it.
 */
import { Rng } from './prng';

export interface ProtectedProcess {
  pid: number;
  firstPage: number;
  pages: number;
  /** A 32-bit stand-in for the digest of the process's protection key. */
  keyDigest: number;
}

export function makeProtectedProcesses(seed: number, count: number, pageCount: number): ProtectedProcess[] {
  const rng = new Rng(seed, 13);
  return Array.from({ length: count }, (_, i) => {
    const pages = 1 + rng.int(64);
    return { pid: 1000 + i, firstPage: rng.int(Math.max(1, pageCount - pages)), pages, keyDigest: rng.u32() };
  });
}

export function encodeProcesses(list: ProtectedProcess[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(list.map((p) => [p.pid, p.firstPage, p.pages, p.keyDigest])));
}

/** Parse metadata from a control record's payload; null when it is not metadata (size and shape checked first). */
export function decodeProcesses(bytes: Uint8Array): ProtectedProcess[] | null {
  if (bytes.length > 16 * 1024 * 1024) return null;
  try {
    const v = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    if (!Array.isArray(v) || !v.every((x) => Array.isArray(x) && x.length === 4 && x.every((n) => Number.isInteger(n)))) return null;
    return (v as number[][]).map(([pid, firstPage, pages, keyDigest]) => ({ pid: pid!, firstPage: firstPage!, pages: pages!, keyDigest: keyDigest! }));
  } catch {
    return null;
  }
}

/** Whether two metadata lists say the same thing. */
export function sameProcesses(a: ProtectedProcess[], b: ProtectedProcess[]): boolean {
  return a.length === b.length && a.every((p, i) => p.pid === b[i]!.pid && p.firstPage === b[i]!.firstPage && p.pages === b[i]!.pages && p.keyDigest === b[i]!.keyDigest);
}
