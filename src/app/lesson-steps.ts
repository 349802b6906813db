/**
 * Moving a class through a run: a lesson step sets its scenario (re-running the model only when it
 * changed), plays its clip — from the step's teaching moment to the next one, then holds — so a
 * clicker alone gives motion, and for the security lab runs the real hosts; without a lesson,
 * presentation mode steps from one teaching moment to the next.
 */
import { findMoment, resolveScenario, scenarioToQuery, teachingMoments, type Moment } from '../core/index';
import { stepInput } from '../content/lesson-schema';
import type { Session } from './session.svelte';

type Draft = Record<string, unknown>;

export async function goToStep(session: Session, i: number): Promise<void> {
  const lesson = session.lesson;
  if (!lesson) return;
  const step = lesson.steps[Math.max(0, Math.min(lesson.steps.length - 1, i))]!;
  session.step = lesson.steps.indexOf(step);
  session.lessonDone = false;
  const r = resolveScenario(stepInput(step));
  if (!r.ok) return;
  const same = session.player && scenarioToQuery(session.player.run.scenario) === scenarioToQuery(r.scenario);
  if (!same) {
    session.presetId = step.preset;
    session.draft = structuredClone(r.scenario) as unknown as Draft;
    await session.run('lesson');
  } else session.writeUrl();
  const player = session.player;
  // A newer step (a fast clicker) or a closed lesson supersedes this one.
  if (!player || session.lesson !== lesson || session.step !== lesson.steps.indexOf(step)) return;
  const moments = teachingMoments(player.run.trace);
  const m = findMoment(moments, step.moment) ?? moments[moments.length - 1]!;
  const stops = moments.map((x) => x.time);
  const from = clipStart(moments, m);
  session.predicted = null;
  if (step.predict) {
    // Predict first: the run waits at the step's moment until the learner has chosen.
    player.pause();
    player.stops = stops;
    player.seek(from);
  } else if (player.animates) player.playClip(from, stops);
  else {
    // Reduced motion: no clip; the step holds at the end of what it is about (its next moment).
    player.pause();
    player.stops = stops;
    player.seek(stops.find((t) => t > from + 1e-9) ?? m.time);
  }
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

/** The learner chose a prediction: the step's clip plays (or, with reduced motion, jumps to its end). */
export function answerPrediction(session: Session, choice: number): void {
  const player = session.player;
  const lesson = session.lesson;
  if (!player || !lesson) return;
  session.predicted = choice;
  const step = lesson.steps[session.step]!;
  const moments = teachingMoments(player.run.trace);
  const m = findMoment(moments, step.moment) ?? moments[moments.length - 1]!;
  const stops = moments.map((x) => x.time);
  const from = clipStart(moments, m);
  if (player.animates) player.playClip(from, stops);
  else player.seek(stops.find((t) => t > from + 1e-9) ?? player.end);
}

/**
 * Where a step's clip starts: at its moment, and for a step about the end, at the moment before it, so
 * the last stretch plays out and holds on the finished run.
 */
function clipStart(moments: readonly Moment[], m: Moment): number {
  if (m.kind !== 'end') return m.time;
  const before = [...moments].reverse().find((x) => x.time < m.time - 1e-9);
  return before ? before.time : m.time;
}
