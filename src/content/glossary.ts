/**
 * Every term a learner meets, glossed once, in plain words. Lessons, the narration, the legend and the
 * what-if panel all gloss from this file (the first time a term appears in a passage), so a word means
 * the same everywhere and a lecturer edits its explanation in one place.
 */
export interface Term {
  /** The words as they appear in text (matched case-insensitively, whole words). */
  match: readonly string[];
  definition: string;
}

export const GLOSSARY: readonly Term[] = [
  { match: ['live migration'], definition: 'Moving a running virtual machine to another host while it keeps running; it pauses only briefly at the end.' },
  { match: ['pre-copy'], definition: 'Copy memory while the VM runs, in rounds, re-sending pages it writes; pause it only for the last few pages.' },
  { match: ['post-copy'], definition: 'Move the VM first and fetch each page over the network when the VM first touches it.' },
  { match: ['dirty pages', 'dirty page', 'dirty'], definition: 'A page written after it was sent: the destination’s copy is stale and must be sent again.' },
  { match: ['round trip', 'round trips'], definition: 'The time for a request to cross to the other host and the answer to come back: twice the link latency, plus the work at each end.' },
  { match: ['rounds', 'round'], definition: 'One pass over the pages still to send. Each round sends what the guest dirtied during the previous one.' },
  { match: ['downtime'], definition: 'How long the VM is paused: from stopping at the source to running at the destination.' },
  { match: ['expected downtime'], definition: 'The hypervisor’s estimate of the pause, from what is left to send and the bandwidth it measured.' },
  { match: ['switch-over'], definition: 'The instant the VM stops at the source and starts at the destination.' },
  { match: ['converge', 'converges', 'convergence'], definition: 'Pre-copy converges when each round is shorter than the last, until what is left fits in the downtime limit.' },
  { match: ['network fault', 'network faults'], definition: 'Post-copy: the VM touched a page that had not arrived; it waits for a round trip to the source.' },
  { match: ['minor fault', 'minor faults'], definition: 'Post-copy: the VM touched a page that had already arrived; it is mapped locally, no network trip.' },
  { match: ['split migration'], definition: 'Moving one VM to several hosts at once: a main host runs it, sub hosts hold part of its memory.' },
  { match: ['sub host', 'sub hosts'], definition: 'A host that holds some of the VM’s memory for a main host that runs it.' },
  { match: ['main host'], definition: 'The destination host that runs the VM after a split migration.' },
  { match: ['remote paging', 'remote fault', 'remote faults'], definition: 'After a split migration, the main host fetches a page from a sub host when the VM touches it.' },
  { match: ['page-out', 'page-outs'], definition: 'The main host sends a cold page to a sub host to free its own memory.' },
  { match: ['FCtrans'], definition: 'Tauchi et al.: track memory the guest OS has freed and never send or page it.' },
  { match: ['SEmigrate'], definition: 'Horio et al.: sub hosts store pages encrypted and never decrypt; only sensitive pages are encrypted.' },
  { match: ['AES'], definition: 'A fast modern cipher (here AES-GCM, which also detects tampering).' },
  { match: ['3DES'], definition: 'An old cipher, many times slower than AES: the slow cipher of Hu et al.’s study.' },
  { match: ['working set'], definition: 'The memory the guest’s program keeps using (and, for a write workload, dirtying).' },
  { match: ['zero page', 'zero pages'], definition: 'A page of all zeros: sent as a short marker, not 4 KiB.' },
  { match: ['unused'], definition: 'Memory the guest OS has freed: FCtrans neither sends nor pages it.' },
];

export interface Piece {
  text: string;
  term: Term | null;
}

/**
 * Split a passage into plain text and glossed terms: each glossary term is glossed at its first
 * appearance in the passage only (longer phrases win over the words inside them).
 */
export function gloss(text: string, skip: ReadonlySet<Term> = new Set()): Piece[] {
  const found: { at: number; len: number; term: Term }[] = [];
  const lower = text.toLowerCase();
  const taken = new Uint8Array(text.length);
  const entries = GLOSSARY.flatMap((term) => term.match.map((m) => ({ m: m.toLowerCase(), term }))).sort((a, b) => b.m.length - a.m.length);
  const used = new Set<Term>(skip);
  for (const { m, term } of entries) {
    if (used.has(term)) continue;
    let from = 0;
    for (;;) {
      const at = lower.indexOf(m, from);
      if (at < 0) break;
      from = at + 1;
      const before = at === 0 ? ' ' : lower[at - 1]!;
      const after = lower[at + m.length] ?? ' ';
      if (/[\p{L}\d-]/u.test(before) || /[\p{L}\d]/u.test(after)) continue;
      if (taken.subarray(at, at + m.length).some((x) => x)) continue;
      taken.fill(1, at, at + m.length);
      found.push({ at, len: m.length, term });
      used.add(term);
      break;
    }
  }
  found.sort((a, b) => a.at - b.at);
  const out: Piece[] = [];
  let pos = 0;
  for (const f of found) {
    if (f.at > pos) out.push({ text: text.slice(pos, f.at), term: null });
    out.push({ text: text.slice(f.at, f.at + f.len), term: f.term });
    pos = f.at + f.len;
  }
  if (pos < text.length) out.push({ text: text.slice(pos), term: null });
  return out;
}
