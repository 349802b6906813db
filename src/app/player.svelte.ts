/**
 * Playback of a run for the stage: simulated time is kept apart from playback speed. Play, pause, step
 * one event, step one round, scrub, reset. The core's Playback computes page states; this class only
 * moves time and tells the views when to redraw (`frame`).
 */
import { Playback, type RunResult } from '../core/index';

/** Playback speeds: simulated seconds per real second. */
export const SPEEDS = [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 1000] as const;

export class Player {
  readonly run: RunResult;
  readonly playback: Playback;
  readonly start: number;
  readonly end: number;
  time = $state(0);
  playing = $state(false);
  speedIndex = $state(4);
  /** Bumped whenever page states change: views redraw on it. */
  frame = $state(0);
  /**
   * Times playing stops at (presentation mode: the teaching moments), so a lecturer talks over a still
   * stage and moves on with one key. Empty: playing runs to the end.
   */
  stops: readonly number[] = [];
  #raf = 0;
  #last = 0;
  readonly #reducedMotion: boolean;

  constructor(run: RunResult, reducedMotion = false, speedIndex?: number) {
    this.run = run;
    this.playback = new Playback(run.trace);
    this.start = run.trace.phases[0]?.start ?? 0;
    this.end = run.trace.endTime;
    this.#reducedMotion = reducedMotion;
    // Pick a speed that plays the whole run in about 20 seconds.
    const span = this.end - this.start;
    const target = span / 20;
    let best = 0;
    SPEEDS.forEach((v, i) => {
      if (Math.abs(Math.log(v / target)) < Math.abs(Math.log(SPEEDS[best]! / target))) best = i;
    });
    this.speedIndex = speedIndex ?? best;
    this.seek(this.start);
  }

  /** Whether this player animates continuously (not under `prefers-reduced-motion`). */
  get animates(): boolean {
    return !this.#reducedMotion;
  }

  /**
   * Play a clip: from `from` until the first of `stops` after it, then hold (a lesson step's moment to
   * the next teaching moment). With no stop after it, plays to the end.
   */
  playClip(from: number, stops: readonly number[]): void {
    this.pause();
    this.seek(from);
    this.stops = stops;
    if (!this.atEnd) this.play();
  }

  get speed(): number {
    return SPEEDS[this.speedIndex]!;
  }

  get atEnd(): boolean {
    return this.time >= this.end;
  }

  seek(t: number): void {
    const clamped = Math.max(this.start, Math.min(this.end, t));
    this.playback.seek(clamped);
    this.time = clamped;
    this.frame++;
  }

  play(): void {
    if (this.playing) return;
    if (this.atEnd) this.seek(this.start);
    this.playing = true;
    this.#last = performance.now();
    if (this.#reducedMotion) {
      // Reduced motion: no continuous animation; the run advances a round at a time.
      const tick = (): void => {
        if (!this.playing) return;
        this.stepRound();
        if (this.atEnd) this.playing = false;
        else this.#raf = window.setTimeout(tick, 1500) as unknown as number;
      };
      this.#raf = window.setTimeout(tick, 600) as unknown as number;
      return;
    }
    const loop = (now: number): void => {
      if (!this.playing) return;
      // A frame's timestamp can precede the performance.now() taken when play() was called: never step back.
      const dt = Math.max(0, Math.min(0.1, (now - this.#last) / 1000));
      this.#last = now;
      const to = this.time + dt * this.speed;
      const stop = this.stops.find((t) => t > this.time + 1e-9 && t <= to);
      if (stop !== undefined) {
        this.seek(stop);
        this.pause();
        return;
      }
      this.seek(to);
      if (this.atEnd) this.playing = false;
      else this.#raf = requestAnimationFrame(loop);
    };
    this.#raf = requestAnimationFrame(loop);
  }

  pause(): void {
    this.playing = false;
    cancelAnimationFrame(this.#raf);
    clearTimeout(this.#raf);
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  /** Jump to the next event of any kind (a page sent, written, skipped or faulted). */
  stepEvent(): void {
    this.pause();
    const next = this.playback.nextEventTime();
    this.seek(Number.isFinite(next) ? next : this.end);
  }

  /** Jump to the start of the next phase (round, stop-and-copy, post-copy, paging) or the end. */
  stepRound(): void {
    const phases = this.run.trace.phases;
    const next = phases.find((p) => p.start > this.time + 1e-9);
    if (!this.playing) this.pause();
    this.seek(next ? next.start : this.end);
  }

  /** Back to the start of the current phase, or of the previous one when already there. */
  stepBack(): void {
    this.pause();
    const phases = this.run.trace.phases;
    const prev = [...phases].reverse().find((p) => p.start < this.time - 1e-9);
    this.seek(prev ? prev.start : this.start);
  }

  faster(): void {
    this.speedIndex = Math.min(SPEEDS.length - 1, this.speedIndex + 1);
  }

  slower(): void {
    this.speedIndex = Math.max(0, this.speedIndex - 1);
  }

  reset(): void {
    this.pause();
    this.seek(this.start);
  }

  dispose(): void {
    this.pause();
  }
}
