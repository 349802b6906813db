/**
 * The page's flow in one place: the URL in and out, the preset, the draft the form edits, the one
 * resolved scenario, and everything that acts on it (the simulation worker, the player, the real hosts,
 * the calibration). Components render what this holds and call its methods; none resolves a scenario
 * or spawns a worker itself. The typed `Scenario` is what crosses into the simulation worker (which
 * checks it again, as it checks every message).
 */
import { FORMAT_KEY, FORMAT_QUERY_KEY, mergeInput, mustResolve, parseQuery, PRESETS, resolveScenario, SCENARIO_FORMAT, scenarioToQuery, teachingMoments, applyWhatIf, type WhatIfField, type AttackId, type Metrics, type Resolved, type RunResult, type Scenario } from '../core/index';
import { lessonById } from '../content/lessons';
import type { Lesson } from '../content/lesson-schema';
import { ExperimentRun } from './experiment-run.svelte';
import { Simulation } from './simulation.svelte';
import { Player } from './player.svelte';
import { RealRun } from './real-run.svelte';
import { Calibration } from './calibration.svelte';
import { handleKey } from './key-table';
import { answerPrediction, goToStep, toMoment } from './lesson-steps';
import { readScenarioText } from './scenario-file';
import { Validation } from './validation.svelte';

export const VIEWS = ['lessons', 'stage', 'experiments', 'validation'] as const;
export type View = (typeof VIEWS)[number];
export const VIEW_LABELS: Record<View, string> = { lessons: 'Lessons', stage: 'Stage', experiments: 'Experiments', validation: 'Real QEMU vs Migrascope' };

const FROM_TEXT = { fromText: true } as const;
type Draft = Record<string, unknown>;


/** A run kept aside to compare with others. */
export interface PinnedRun {
  id: number;
  label: string;
  scenario: Scenario;
  metrics: Metrics;
}

export const MAX_PINNED = 6;

/** How a new run takes the stage: played from the start, continued from the same instant (what-if), or placed by a lesson step. */
type Adopt = 'fresh' | 'continue' | 'lesson';

/** A run the stage replaced by a what-if change: its numbers stay beside the new run's. */
export interface Ghost {
  scenario: Scenario;
  metrics: Metrics;
}

export class Session {
  readonly embed: boolean;
  readonly reducedMotion: boolean;
  /** The app's own query keys as the page was opened (view, experiment axes, …). */
  readonly appParams: Map<string, string>;
  readonly sim = new Simulation();
  readonly real = new RealRun();
  readonly calibration = new Calibration();
  readonly validation = new Validation();
  readonly experiment = new ExperimentRun();
  pinned = $state.raw<PinnedRun[]>([]);
  #pinIds = 0;
  /** The lesson being taught and its step (0-based; the URL counts from 1). */
  lesson = $state.raw<Lesson | null>(null);
  step = $state(0);
  /** Presentation layout for a lecture hall: large text, the form tucked away, stops at teaching moments. */
  lecture = $state(false);
  /** Controls an embedding page asked for (`controls=playback,lesson,metrics,lab`); null: the default set. */
  readonly controls: ReadonlySet<string> | null;
  view = $state<View>('stage');
  presetId = $state('');
  draft = $state<Draft>({});
  /** Problems with the link the page was opened with (keys refused before resolving). */
  linkErrors = $state.raw<string[]>([]);
  /** What was upgraded from an older link, file or lesson format, in words. */
  upgradeNotes = $state.raw<string[]>([]);
  /** Why the last file the user opened was refused (nothing else changed). */
  fileErrors = $state.raw<string[]>([]);
  /** The run before the last what-if change, for comparison on the stage. */
  ghost = $state.raw<Ghost | null>(null);
  /** The lesson's last step was passed: the panel shows the summary and the next lesson. */
  lessonDone = $state(false);
  /** The learner's answer to the step's prediction (null: not chosen yet). */
  predicted = $state<number | null>(null);
  #adopt: Adopt = 'fresh';
  player = $state.raw<Player | null>(null);
  selected = $state<number | null>(null);
  /** The draft, resolved: the only place the form's input becomes a scenario. */
  readonly resolved: Resolved = $derived(resolveScenario($state.snapshot(this.draft), FROM_TEXT));
  #fromUrl: Draft = {};

  constructor(search: string, reducedMotion = false) {
    const parsed = parseQuery(search.replace(/^\?/, ''));
    this.appParams = parsed.app;
    this.embed = parsed.app.get('embed') === '1';
    this.reducedMotion = reducedMotion;
    this.linkErrors = parsed.errors.map((e) => e.message);
    this.upgradeNotes = parsed.notes;
    this.sim.onresult = (run) => this.#take(run);
    this.#fromUrl = parsed.input;
    for (const [k, v] of Object.entries(this.#fromUrl)) if (Array.isArray(v)) this.#fromUrl[k] = Array.from(v, (e) => e ?? {});
    const hasScenario = Object.keys(this.#fromUrl).length > 0;
    const view = parsed.app.get('view');
    if ((VIEWS as readonly string[]).includes(view ?? '')) this.view = view as View;
    this.presetId = parsed.app.get('preset') ?? (hasScenario ? '' : 'first-look');
    this.draft = this.#initialDraft();
    this.lecture = parsed.app.get('lecture') === '1';
    const controls = parsed.app.get('controls');
    this.controls = controls ? new Set(controls.split(',').slice(0, 8)) : null;
    const lesson = parsed.app.get('lesson');
    this.#lessonAtStart = lesson ? { id: lesson, step: Math.max(1, Math.min(30, Number.parseInt(parsed.app.get('step') ?? '1', 10) || 1)) - 1 } : null;
    if (lesson && !lessonById(lesson)) this.linkErrors = [...this.linkErrors, `lesson "${lesson.slice(0, 40)}" does not exist`];
    // The stage is alive on load: whatever the link names runs and plays at once (a lesson plays its step).
    this.autoRun = !this.#lessonAtStart && this.view === 'stage';
  }

  readonly #lessonAtStart: { id: string; step: number } | null;

  /** Open the lesson the link named, if any (after the page has mounted). */
  async start(): Promise<void> {
    const l = this.#lessonAtStart;
    if (l && lessonById(l.id)) await this.openLesson(l.id, l.step);
    else if (this.autoRun) await this.run();
  }

  /** Whether the embedding page asked for this control (all of them when it named none). */
  shows(control: string): boolean {
    return this.controls ? this.controls.has(control) : true;
  }

  /** The scenario input the page's link carried (the base of an experiment opened by URL). */
  get linkInput(): Draft {
    return structuredClone(this.#fromUrl);
  }

  /** Whether the page should run the scenario as soon as it opens (a shared link, an embed). */
  readonly autoRun: boolean;

  get scenario(): Scenario | null {
    return this.resolved.ok ? this.resolved.scenario : null;
  }

  #initialDraft(): Draft {
    const preset = PRESETS.find((p) => p.id === this.presetId);
    const r = resolveScenario(preset ? mergeInput(preset.input as Draft, this.#fromUrl) : this.#fromUrl, FROM_TEXT);
    // An invalid link still opens: its raw values go into the form, where the errors show.
    return r.ok ? (structuredClone(r.scenario) as unknown as Draft) : mergeInput(mustResolve({}) as unknown as Draft, this.#fromUrl);
  }

  choosePreset(id: string): void {
    this.presetId = id;
    this.#fromUrl = {};
    this.draft = this.#initialDraft();
    this.ghost = null;
    void this.run();
  }

  setView(view: View): void {
    this.view = view;
    this.writeUrl();
  }

  /**
   * The page's URL for the current view: the stage's scenario, or the one given (an experiment's base),
   * then the app's keys (an experiment's axes).
   */
  urlQuery(extra: Record<string, string> = {}, scenario: Scenario | null = this.scenario): string {
    const params = new URLSearchParams(scenario ? scenarioToQuery(scenario) : '');
    // Every link says the format it was written in, so a later version can upgrade it.
    params.set(FORMAT_QUERY_KEY, String(SCENARIO_FORMAT));
    if (this.view !== 'stage') params.set('view', this.view);
    if (this.embed) params.set('embed', '1');
    if (this.lecture) params.set('lecture', '1');
    if (this.controls) params.set('controls', [...this.controls].join(','));
    if (this.lesson && this.view === 'stage') {
      params.set('lesson', this.lesson.id);
      params.set('step', String(this.step + 1));
    }
    for (const [k, v] of Object.entries(extra)) params.set(k, v);
    return params.toString();
  }

  writeUrl(extra: Record<string, string> = {}, scenario: Scenario | null = this.scenario): void {
    if (typeof history === 'undefined') return;
    const q = this.urlQuery(extra, scenario);
    history.replaceState(null, '', `${location.pathname}${q ? `?${q}` : ''}`);
  }

  /**
   * Run the draft through the model. `fresh` plays the new run from its start; `continue` (a what-if
   * change) keeps the instant and the playing state; `lesson` leaves placing it to the lesson step.
   */
  async run(adopt: Adopt = 'fresh'): Promise<void> {
    const s = this.scenario;
    if (!s) return;
    this.#adopt = adopt;
    this.writeUrl();
    this.real.dispose();
    await this.sim.run(s);
  }

  /** A new run from the worker takes the stage. */
  #take(run: RunResult): void {
    const old = this.player;
    const adopt = this.#adopt;
    const player = new Player(run, this.reducedMotion, adopt === 'continue' && old ? old.speedIndex : undefined);
    const wasPlaying = old?.playing ?? false;
    old?.dispose();
    this.player = player;
    this.#applyStops();
    this.selected = null;
    if (adopt === 'continue' && old) {
      player.seek(old.atEnd ? player.end : old.time);
      if (wasPlaying) player.play();
    } else if (adopt === 'fresh') this.#startAlive(player);
  }

  /** Alive on load: play at once; with reduced motion, hold a telling frame (mid first pass) instead. */
  #startAlive(player: Player): void {
    if (player.animates) {
      player.play();
      return;
    }
    const first = player.run.trace.phases.find((p) => p.kind === 'round');
    if (first) player.seek((first.start + first.end) / 2);
  }

  /**
   * What-if: turn one of the stage's knobs and re-run at once (the newest change wins in the worker);
   * the stage continues from the same instant and the replaced run stays as a ghost — the one before a
   * burst of changes (a drag), not each step of it.
   */
  whatIf(field: WhatIfField, value: number | string): void {
    const base = this.scenario ?? this.player?.run.scenario;
    if (!base) return;
    if (this.player && !this.sim.busy) this.ghost = { scenario: this.player.run.scenario, metrics: this.player.run.metrics };
    this.draft = applyWhatIf(base, field, value);
    void this.run('continue');
  }

  clearGhost(): void {
    this.ghost = null;
  }

  /** The address of this run as a link anyone can open (scenario, seed, view, lesson step). */
  shareUrl(): string {
    const q = this.urlQuery();
    return `${location.origin}${location.pathname}${q ? `?${q}` : ''}`;
  }

  /** The scenario as the JSON file the command line reads (format stated, every field written). */
  scenarioFile(): string | null {
    const s = this.scenario;
    if (!s) return null;
    return `${JSON.stringify({ [FORMAT_KEY]: SCENARIO_FORMAT, ...s }, null, 2)}\n`;
  }

  /**
   * Open a scenario file the user picked: parsed, upgraded and resolved before anything changes; a
   * refused file leaves the current run as it was and says why, naming the field.
   */
  async openFile(text: string, name: string): Promise<boolean> {
    const read = readScenarioText(text, name);
    this.fileErrors = read.ok ? [] : read.errors;
    if (!read.ok) return false;
    this.upgradeNotes = read.notes;
    this.lesson = null;
    this.presetId = '';
    this.ghost = null;
    this.draft = structuredClone(read.scenario) as unknown as Draft;
    this.view = 'stage';
    await this.run();
    return true;
  }

  /** Open a scenario (from an experiment's point, a pinned run) on the stage and run it. */
  async open(scenario: Scenario): Promise<void> {
    this.lesson = null;
    this.presetId = '';
    this.draft = structuredClone(scenario) as unknown as Draft;
    this.view = 'stage';
    await this.run();
  }

  async openLesson(id: string, step = 0): Promise<void> {
    const lesson = lessonById(id);
    if (!lesson) return;
    this.lesson = lesson;
    this.lessonDone = false;
    this.ghost = null;
    this.view = 'stage';
    await this.goStep(step);
  }

  closeLesson(): void {
    this.lesson = null;
    this.lessonDone = false;
    this.step = 0;
    this.writeUrl();
  }

  /** Go to a lesson step: its scenario (run only when it changed), stopped at its moment, real hosts if it asks. */
  goStep(i: number): Promise<void> {
    return goToStep(this, i);
  }

  /** The learner's prediction for this step: the clip plays. */
  predict(choice: number): void {
    answerPrediction(this, choice);
  }

  /** The clicker's forward: the next lesson step, or in presentation mode the next teaching moment. */
  forward(): void {
    if (this.lesson && this.step === this.lesson.steps.length - 1) this.lessonDone = true;
    else if (this.lesson) void this.goStep(this.step + 1);
    else if (this.lecture) toMoment(this, 1);
    else this.player?.stepEvent();
  }

  back(): void {
    if (this.lesson && this.lessonDone) this.lessonDone = false;
    else if (this.lesson) void this.goStep(this.step - 1);
    else if (this.lecture) toMoment(this, -1);
    else this.player?.stepBack();
  }

  /** In presentation mode and in a lesson, playing pauses at every teaching moment. */
  #applyStops(): void {
    if (this.player) this.player.stops = this.lecture || this.lesson ? teachingMoments(this.player.run.trace).map((m) => m.time) : [];
  }

  setLecture(on: boolean): void {
    this.lecture = on;
    this.#applyStops();
    this.writeUrl();
  }

  /** Keep a run aside to compare (the oldest goes when more than MAX_PINNED are kept). */
  pin(label: string, scenario: Scenario, metrics: Metrics): void {
    this.pinned = [...this.pinned, { id: ++this.#pinIds, label, scenario, metrics }].slice(-MAX_PINNED);
  }

  /** Pin a run known only by its input (a plotted point): the model runs it in the worker first. */
  async pinInput(label: string, input: Record<string, unknown>): Promise<void> {
    const r = await this.sim.metricsOf(input);
    if (r.ok) this.pin(label, r.scenario, r.metrics);
  }

  unpin(id: number): void {
    this.pinned = this.pinned.filter((p) => p.id !== id);
  }

  /** Choose the attacker and the teaching switch, re-run the model, then the real hosts. */
  async attack(id: AttackId, defences: boolean): Promise<void> {
    const security = { ...(this.draft.security as Draft | undefined), attack: id, defences };
    this.draft.security = security;
    await this.run();
    if (this.player) await this.real.start(this.player.run);
  }

  /** Measure this browser's AES-GCM at the scenario's record size; the cipher becomes "measured". */
  async calibrate(): Promise<void> {
    const frame = this.scenario?.dataPlane.framePages ?? mustResolve({}).dataPlane.framePages;
    const r = await this.calibration.measure(frame);
    if (!r) return;
    this.draft.cipher = 'measured';
    this.draft.measuredCipherBps = Math.round(r.bytesPerSecond);
  }

  /** A key press on the page (see `handleKey`: the clicker's keys, Esc, the shortcuts). */
  onKey(e: KeyboardEvent): void {
    handleKey(this, e);
  }

  dispose(): void {
    this.experiment.cancel();
    this.player?.dispose();
    this.sim.dispose();
    this.real.dispose();
  }
}
