/**
 * The page's flow in one place: the URL in and out, the preset, the draft the form edits, the one
 * resolved scenario, and everything that acts on it (the simulation worker, the player, the real hosts,
 * the calibration). Components render what this holds and call its methods; none resolves a scenario
 * or spawns a worker itself. The typed `Scenario` is what crosses into the simulation worker (which
 * checks it again, as it checks every message).
 */
import { mergeInput, mustResolve, parseQuery, PRESETS, resolveScenario, scenarioToQuery, teachingMoments, type AttackId, type Metrics, type Resolved, type Scenario } from '../core/index';
import { lessonById } from '../content/lessons';
import type { Lesson } from '../content/lesson-schema';
import { ExperimentRun } from './experiment-run.svelte';
import { Simulation } from './simulation.svelte';
import { Player } from './player.svelte';
import { RealRun } from './real-run.svelte';
import { Calibration } from './calibration.svelte';
import { KEY_TABLE } from './key-table';
import { goToStep, toMoment } from './lesson-steps';
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
    this.autoRun = !this.#lessonAtStart && this.view === 'stage' && (hasScenario || parsed.app.get('play') === '1' || this.embed);
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

  /** Run the draft through the model; the player takes over the new result. */
  async run(): Promise<void> {
    const s = this.scenario;
    if (!s) return;
    this.writeUrl();
    this.real.dispose();
    const before = this.sim.result;
    await this.sim.run(s);
    const result = this.sim.result;
    if (result && result !== before) {
      this.player?.dispose();
      this.player = new Player(result, this.reducedMotion);
      this.#applyStops();
      this.selected = null;
    }
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
    this.view = 'stage';
    await this.goStep(step);
  }

  closeLesson(): void {
    this.lesson = null;
    this.step = 0;
    this.writeUrl();
  }

  /** Go to a lesson step: its scenario (run only when it changed), stopped at its moment, real hosts if it asks. */
  goStep(i: number): Promise<void> {
    return goToStep(this, i);
  }

  /** The clicker's forward: the next lesson step, or in presentation mode the next teaching moment. */
  forward(): void {
    if (this.lesson) void this.goStep(this.step + 1);
    else if (this.lecture) toMoment(this, 1);
    else this.player?.stepEvent();
  }

  back(): void {
    if (this.lesson) void this.goStep(this.step - 1);
    else if (this.lecture) toMoment(this, -1);
    else this.player?.stepBack();
  }

  /** In presentation mode, playing pauses at every teaching moment. */
  #applyStops(): void {
    if (this.player) this.player.stops = this.lecture ? teachingMoments(this.player.run.trace).map((m) => m.time) : [];
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

  /** A key press on the page: shortcuts apply unless the user is typing in a field. */
  onKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement | null;
    if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName) && !(target instanceof HTMLInputElement && target.type === 'range')) return;
    if (e.key === ' ' && target?.tagName === 'BUTTON') return;
    // A focused memory grid moves its own selection with the arrows.
    if (target?.tagName === 'CANVAS' && e.key.startsWith('Arrow')) return;
    if (this.view !== 'stage') return;
    const binding = KEY_TABLE.find((b) => b.keys.includes(e.key));
    if (!binding || (!this.player && !this.lesson && e.key !== 'p')) return;
    e.preventDefault();
    binding.act(this);
  }

  dispose(): void {
    this.experiment.cancel();
    this.player?.dispose();
    this.sim.dispose();
    this.real.dispose();
  }
}
