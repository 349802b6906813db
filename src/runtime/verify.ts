/**
 * The final check: the destination side's memory against the source's, page for page. Each channel
 * worker digests its slice of the expected pages (SHA-256, in the worker, in parallel): equal digests
 * are as strict as comparing the bytes and move nothing. Where they differ, or where a SEmigrate sub
 * host holds only ciphertext (opened by the main host for this check alone), the pages are compared
 * byte for byte to name the ones that differ. Where each page should be comes from the core's rule.
 */
import { endOfRun, PageClass, PAGE_SIZE } from '../core/index';
import { transfer } from 'comlink';
import { byChannel } from '../../workers/host/slice';
import type { Topology } from './topology';

export interface Verification {
  verified: boolean;
  pagesChecked: number;
  /** Pages whose bytes differ (first 50). */
  differing: number[];
  /** Pages the destination side should hold but does not (first 50). */
  missing: number[];
  mismatchCount: number;
  /** How: digests compared per channel, and pages compared byte for byte. */
  digestsCompared: number;
  pagesCompared: number;
}

export async function verify(top: Topology): Promise<Verification> {
  const { trace, scenario } = top.run;
  const { holder, classAtEnd } = endOfRun(trace);
  const skipUnused = scenario.split.skipUnused;
  const v: Verification = { verified: true, pagesChecked: 0, differing: [], missing: [], mismatchCount: 0, digestsCompared: 0, pagesCompared: 0 };
  const note = (list: number[], p: number): void => {
    v.mismatchCount++;
    if (list.length < 50) list.push(p);
  };
  // A key for this check only, drawn here and given to both sides: the tags are comparable, and unforgeable to anyone else.
  const checkKey = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const byHost = new Map<number, number[]>();
  for (let p = 0; p < trace.pageCount; p++) {
    if (skipUnused && classAtEnd[p] === PageClass.free) continue;
    v.pagesChecked++;
    if (holder[p] === 0) note(v.missing, p);
    else {
      const l = byHost.get(holder[p]!) ?? [];
      l.push(p);
      byHost.set(holder[p]!, l);
    }
  }
  for (const [h, list] of byHost) {
    const parts = byChannel(Uint32Array.from(list), top.channels);
    for (let c = 0; c < top.channels; c++) {
      const pages = parts[c]!;
      if (!pages.length) continue;
      if (top.semigrate && h >= 2) {
        await compareBytes(top, h, c, pages, v, true);
        continue;
      }
      const [a, b] = await Promise.all([top.hosts[0]![c]!.digest(pages, checkKey), top.hosts[h]![c]!.digest(pages, checkKey)]);
      v.digestsCompared++;
      if (a !== b) await compareBytes(top, h, c, pages, v, false);
    }
  }
  v.verified = v.mismatchCount === 0;
  return v;

  async function compareBytes(t: Topology, h: number, c: number, pages: Uint32Array, out: Verification, sealedAtSub: boolean): Promise<void> {
    const CHUNK = 4096;
    for (let at = 0; at < pages.length; at += CHUNK) {
      const part = pages.slice(at, at + CHUNK);
      const src = await t.hosts[0]![c]!.exportPages(part);
      let bytes: Uint8Array;
      let present: Uint8Array;
      if (sealedAtSub) {
        const records = await t.hosts[h]![c]!.exportRecords(part);
        bytes = await t.hosts[1]![c]!.openForCheck(transfer(records, records.flat()), part);
        present = Uint8Array.from(records, (r) => (r.length === 2 ? 1 : 0));
      } else {
        const got = await t.hosts[h]![c]!.exportPages(part);
        bytes = got.bytes;
        present = got.present;
      }
      out.pagesCompared += part.length;
      for (let i = 0; i < part.length; i++) {
        if (!present[i]) note(out.missing, part[i]!);
        else if (!same(src.bytes.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE), bytes.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE))) note(out.differing, part[i]!);
      }
    }
  }
}

/** Bytes equal, compared a word at a time. */
export function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  const wa = new Uint32Array(a.buffer, a.byteOffset, a.length >> 2);
  const wb = new Uint32Array(b.buffer, b.byteOffset, b.length >> 2);
  for (let i = 0; i < wa.length; i++) if (wa[i] !== wb[i]) return false;
  return true;
}
