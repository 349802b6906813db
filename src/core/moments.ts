/**
 * Teaching moments of a run: the instants a lecturer stops at — the start, each dirty-page round, the
 * switch-over (the VM pauses), the start of post-copy, the first network fault, the start of remote
 * paging, and the end. Derived from the trace only, so the same run always has the same moments, and
 * a lesson can name one ("round:2", "switch-over") instead of a time.
 */
import { FaultKind, type Trace } from './trace';

export type MomentKind = 'start' | 'round' | 'switch-over' | 'postcopy' | 'first-network-fault' | 'paging' | 'end';

export interface Moment {
  kind: MomentKind;
  /** Simulated time, s. */
  time: number;
  /** For rounds: which (1 = the full first pass). */
  round: number;
  /** How a lesson names it: "start", "round:2", "switch-over", … */
  id: string;
}

export const MOMENT_IDS_HELP = 'start, round:N, switch-over, postcopy, first-network-fault, paging or end';

export function teachingMoments(trace: Trace): Moment[] {
  const out: Moment[] = [];
  const add = (kind: MomentKind, time: number, round = 0): void => {
    out.push({ kind, time, round, id: kind === 'round' ? `round:${round}` : kind });
  };
  const first = trace.phases[0];
  add('start', first ? first.start : 0);
  for (const p of trace.phases) {
    if (p.kind === 'round') add('round', p.start, p.round);
    else if (p.kind === 'stop-copy') add('switch-over', p.start);
    else if (p.kind === 'postcopy') add('postcopy', p.start);
    else if (p.kind === 'paging') add('paging', p.start);
  }
  // Post-copy moves the VM before the switch-over phase is recorded as stop-copy: its pause is the switch-over.
  if (!out.some((m) => m.kind === 'switch-over') && trace.resumeAt > trace.pauseAt) add('switch-over', trace.pauseAt);
  const { kind, time } = trace.faults;
  for (let i = 0; i < kind.length; i++) {
    if (kind[i] === FaultKind.network) {
      add('first-network-fault', time[i]!);
      break;
    }
  }
  add('end', trace.endTime);
  return out.sort((a, b) => a.time - b.time || order(a.kind) - order(b.kind));
}

const ORDER: MomentKind[] = ['start', 'round', 'switch-over', 'postcopy', 'first-network-fault', 'paging', 'end'];
const order = (k: MomentKind): number => ORDER.indexOf(k);

/** The moment a lesson names, or null when this run has none such (a pre-copy run has no network fault). */
export function findMoment(moments: readonly Moment[], id: string): Moment | null {
  return moments.find((m) => m.id === id) ?? null;
}

/** A moment id as a lesson writes it: checked before any run exists. */
export function isMomentId(id: string): boolean {
  return /^(start|switch-over|postcopy|first-network-fault|paging|end|round:[1-9]\d{0,3})$/.test(id);
}
