/**
 * How far a run has got at the moment shown, for numbers revealed as the run reaches them: the
 * migration's elapsed time and whether it is over (remote paging after a split migration is not part
 * of it), the pause so far, the bytes sent so far (the run's total in proportion to the transfers done,
 * exact at the end) and the rounds begun. From the trace and the playback only.
 */
import type { Playback } from './playback';
import type { RunResult } from './simulate';

export interface Progress {
  /** Seconds since the migration started. */
  elapsed: number;
  /** The migration is over (its metrics are final). */
  done: boolean;
  /** The VM has been paused / runs again at the destination. */
  paused: boolean;
  resumed: boolean;
  /** Seconds the VM has been paused so far (while paused). */
  pausedFor: number;
  /** Bytes sent so far (QEMU's ram.transferred at the end). */
  bytes: number;
  /** Pre-copy rounds begun so far (all of them once done). */
  rounds: number;
  /** A round is under way. */
  inRound: boolean;
}

export function progressAt(run: RunResult, pb: Playback): Progress {
  const { trace, metrics: m } = run;
  const t = pb.time;
  const start = trace.phases[0]?.start ?? 0;
  const end = trace.phases.find((p) => p.kind === 'paging')?.start ?? trace.endTime;
  const done = t >= end;
  const total = trace.sends.time.length;
  const share = done ? 1 : total ? pb.sendsDone / total : 0;
  let rounds = 0;
  for (const p of trace.phases) if (p.kind === 'round' && p.start <= t) rounds = Math.max(rounds, p.round);
  return {
    elapsed: Math.max(0, t - start),
    done,
    paused: t >= trace.pauseAt,
    resumed: t >= trace.resumeAt,
    pausedFor: Math.max(0, t - trace.pauseAt),
    bytes: m.ram.transferred * share,
    rounds: done ? m.rounds.length : rounds,
    inRound: trace.phases[pb.phaseIndex]?.kind === 'round',
  };
}
