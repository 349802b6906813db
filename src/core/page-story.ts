/**
 * One page's story up to a moment, from the trace alone: its class, the host it was dealt to, every
 * time it crossed a link (and why: a round, the pause, a fault's request), every time the guest
 * dirtied it, and its faults. The stage tells it when a learner picks a page.
 */
import { PAGE_CLASSES } from './page-class';
import { FaultKind, SendFlag, type Trace } from './trace';

export type StoryEvent =
  | { kind: 'sent'; time: number; to: number; zero: boolean; sealed: boolean; why: 'round' | 'pause' | 'request' | 'prepage' | 'paging' }
  | { kind: 'dirtied'; time: number }
  | { kind: 'fault'; time: number; fault: 'network' | 'minor' | 'remote' | 'page-out' | 'unused' };

export interface PageStory {
  page: number;
  pageClass: (typeof PAGE_CLASSES)[number];
  /** Destination index it was dealt to (0 = main host / the destination). */
  owner: number;
  events: StoryEvent[];
}

const FAULTS = { [FaultKind.network]: 'network', [FaultKind.minor]: 'minor', [FaultKind.remote]: 'remote', [FaultKind.pageOut]: 'page-out', [FaultKind.unusedLocal]: 'unused' } as const;

/** Events of `page` up to `time`, in time order (at most `limit` of them, the latest kept). */
export function pageStory(trace: Trace, page: number, time: number, limit = 12): PageStory {
  const events: StoryEvent[] = [];
  const { page: sp, time: st, to, flags } = trace.sends;
  for (let i = 0; i < sp.length && st[i]! <= time; i++) {
    if (sp[i] !== page) continue;
    const f = flags[i]!;
    const why = f & SendFlag.paging ? 'paging' : f & SendFlag.requested ? 'request' : f & SendFlag.prepaged ? 'prepage' : f & SendFlag.downtime ? 'pause' : 'round';
    events.push({ kind: 'sent', time: st[i]!, to: to[i]!, zero: (f & SendFlag.duplicate) !== 0, sealed: (f & SendFlag.encrypted) !== 0, why });
  }
  const { page: dp, time: dt } = trace.dirties;
  for (let i = 0; i < dp.length && dt[i]! <= time; i++) if (dp[i] === page) events.push({ kind: 'dirtied', time: dt[i]! });
  const { page: fp, time: ft, kind } = trace.faults;
  for (let i = 0; i < fp.length && ft[i]! <= time; i++) if (fp[i] === page) events.push({ kind: 'fault', time: ft[i]!, fault: FAULTS[kind[i] as keyof typeof FAULTS] ?? 'network' });
  events.sort((a, b) => a.time - b.time);
  return { page, pageClass: PAGE_CLASSES[trace.pageClass[page]!] ?? 'anon', owner: trace.owner[page]!, events: events.slice(-limit) };
}
