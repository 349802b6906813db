/**
 * Moving a class through a run: a lesson step sets its scenario (re-running the model only when it
 * changed), stops the player at the step's teaching moment and, for the security lab, runs the real
 * hosts; without a lesson, presentation mode steps from one teaching moment to the next.
 */
import { findMoment, resolveScenario, scenarioToQuery, teachingMoments } from '../core/index';
import { stepInput } from '../content/lesson-schema';
import type { Session } from './session.svelte';

type Draft = Record<string, unknown>;

export async function goToStep(session: Session, i: number): Promise<void> {
  const lesson = session.lesson;
  if (!lesson) return;
  const step = lesson.steps[Math.max(0, Math.min(lesson.steps.length - 1, i))]!;
  session.step = lesson.steps.indexOf(step);
  const r = resolveScenario(stepInput(step));
  if (!r.ok) return;
  const same = session.player && scenarioToQuery(session.player.run.scenario) === scenarioToQuery(r.scenario);
  if (!same) {
    session.presetId = step.preset;
    session.draft = structuredClone(r.scenario) as unknown as Draft;
    await session.run();
  } else session.writeUrl();
  const player = session.player;
  // A newer step (a fast clicker) or a closed lesson supersedes this one.
  if (!player || session.lesson !== lesson || session.step !== lesson.steps.indexOf(step)) return;
  const moments = teachingMoments(player.run.trace);
  const m = findMoment(moments, step.moment) ?? moments[moments.length - 1]!;
  player.pause();
  player.seek(m.time);
  if (step.realHosts) await session.real.start(player.run);
}

/** The next (or previous) teaching moment of the run on the stage; the player pauses there. */
export function toMoment(session: Session, dir: 1 | -1): void {
  const player = session.player;
  if (!player) return;
  const moments = teachingMoments(player.run.trace);
  const t = player.time;
  const next = dir > 0 ? moments.find((m) => m.time > t + 1e-9) : [...moments].reverse().find((m) => m.time < t - 1e-9);
  player.pause();
  player.seek(next ? next.time : dir > 0 ? player.end : player.start);
}
