/**
 * Lessons are content files a lecturer copies and edits without touching code
 * (`src/content/lessons/*.json`). This is their one check — run before every build by scripts/check-lessons.ts, by the
 * tests, and when the app loads them — and it treats a file as hostile: plain JSON values only, no key
 * that could reach a prototype, bounded sizes, every preset, scenario and moment resolved before use.
 * A refusal names the file, the step and the field.
 */
import { isMomentId, mergeInput, MOMENT_IDS_HELP, PRESETS, readFormat, resolveScenario, upgradeInput, type ScenarioInput } from '../core/index';

export const HIGHLIGHTS = ['source', 'link', 'destination', 'rounds', 'metrics', 'lab', 'counters'] as const;
export type Highlight = (typeof HIGHLIGHTS)[number];

export interface LessonStep {
  title: string;
  /** The preset the step starts from (see src/core/presets.ts). */
  preset: string;
  /** Fields changed from the preset, as in a scenario file. */
  scenario: ScenarioInput;
  /** Where the run stops for this step: start, round:N, switch-over, postcopy, first-network-fault, paging, end. */
  moment: string;
  /** What just happened and why (a sentence or two). */
  text: string;
  /** A question for the class (optional). */
  question: string | null;
  /** The part of the stage to point at. */
  highlight: Highlight | null;
  /** Run the real hosts at this step (the security lab). */
  realHosts: boolean;
  /**
   * Ask the learner to predict before the clip plays: the step's `question` with these choices, and
   * which one the run will show (0-based). Null: the step plays at once.
   */
  predict: { choices: string[]; answer: number } | null;
}

export interface Lesson {
  id: string;
  title: string;
  audience: string;
  /** The seed paper the lesson follows, or null. */
  paper: string | null;
  summary: string;
  steps: LessonStep[];
  /** What was upgraded from an older scenario format (`format`; none: format 1), in words. */
  upgraded: string[];
}

/** A step's scenario input: its preset with the step's changes on top. */
export function stepInput(step: Pick<LessonStep, 'preset' | 'scenario'>): Record<string, unknown> {
  const base = (PRESETS.find((p) => p.id === step.preset)?.input ?? {}) as Record<string, unknown>;
  return mergeInput(base, step.scenario as Record<string, unknown>);
}

export type ParsedLesson = { ok: true; lesson: Lesson } | { ok: false; errors: string[] };

const LIMITS = { steps: 30, text: 800, title: 120, keys: 20 };
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
}

/** Keys that could reach a prototype, anywhere in a value (JSON.parse makes `__proto__` an own key). */
function poisoned(v: unknown, depth = 0): boolean {
  if (depth > 8) return true;
  if (Array.isArray(v)) return v.some((x) => poisoned(x, depth + 1));
  if (v && typeof v === 'object') return Object.keys(v).some((k) => FORBIDDEN.has(k) || poisoned((v as Record<string, unknown>)[k], depth + 1));
  return false;
}

export function parseLesson(value: unknown, name = 'lesson'): ParsedLesson {
  const errors: string[] = [];
  if (!isPlainObject(value)) return { ok: false, errors: [`${name}: a lesson is a JSON object`] };
  if (poisoned(value)) return { ok: false, errors: [`${name}: keys named __proto__, constructor or prototype are not allowed`] };
  const str = (o: Record<string, unknown>, key: string, where: string, max: number, optional = false): string | null => {
    const v = o[key];
    if (v === undefined || v === null) {
      if (!optional) errors.push(`${where}.${key} is missing (text)`);
      return null;
    }
    if (typeof v !== 'string' || v.trim() === '') errors.push(`${where}.${key} must be text`);
    else if (v.length > max) errors.push(`${where}.${key} is ${v.length} characters; at most ${max}`);
    else return v;
    return null;
  };
  for (const k of Object.keys(value)) if (!['format', 'id', 'title', 'audience', 'paper', 'summary', 'steps'].includes(k)) errors.push(`${name}.${k} is not a lesson field (format, id, title, audience, paper, summary, steps)`);
  // The steps' scenario fields are in the file's scenario format; older ones are upgraded first.
  const fmt = readFormat(value.format, `${name}.format`);
  if (!fmt.ok) errors.push(fmt.message);
  const upgraded: string[] = [];
  const id = str(value, 'id', name, 60);
  if (id !== null && !/^[a-z0-9-]+$/.test(id)) errors.push(`${name}.id must be lower-case letters, digits and dashes`);
  const title = str(value, 'title', name, LIMITS.title);
  const audience = str(value, 'audience', name, LIMITS.title);
  const paper = str(value, 'paper', name, 200, true);
  const summary = str(value, 'summary', name, LIMITS.text);
  const rawSteps = value.steps;
  const steps: LessonStep[] = [];
  if (!Array.isArray(rawSteps) || rawSteps.length === 0 || rawSteps.length > LIMITS.steps) errors.push(`${name}.steps must be a list of 1 to ${LIMITS.steps} steps`);
  else
    rawSteps.forEach((raw, i) => {
      const where = `${name}.steps[${i}]`;
      if (!isPlainObject(raw)) {
        errors.push(`${where} must be an object`);
        return;
      }
      for (const k of Object.keys(raw)) if (!['title', 'preset', 'scenario', 'moment', 'text', 'question', 'highlight', 'realHosts', 'predict'].includes(k)) errors.push(`${where}.${k} is not a step field`);
      const preset = str(raw, 'preset', where, 60);
      if (preset !== null && !PRESETS.some((p) => p.id === preset)) errors.push(`${where}.preset "${preset}" is not a preset (${PRESETS.map((p) => p.id).join(', ')})`);
      let scenario = raw.scenario ?? {};
      if (isPlainObject(scenario) && fmt.ok) {
        const up = upgradeInput(scenario, fmt.format);
        scenario = up.input;
        for (const n of up.notes) upgraded.push(`${where}.scenario: ${n}`);
      }
      if (!isPlainObject(scenario)) errors.push(`${where}.scenario must be an object of scenario fields`);
      else if (preset !== null) {
        const r = resolveScenario(stepInput({ preset, scenario: scenario as ScenarioInput }));
        if (!r.ok) for (const e of r.errors) errors.push(`${where}.scenario: ${e.message}`);
      }
      const moment = str(raw, 'moment', where, 40);
      if (moment !== null && !isMomentId(moment)) errors.push(`${where}.moment "${moment}" must be one of ${MOMENT_IDS_HELP}`);
      const highlight = raw.highlight ?? null;
      if (highlight !== null && !(HIGHLIGHTS as readonly unknown[]).includes(highlight)) errors.push(`${where}.highlight must be one of ${HIGHLIGHTS.join(', ')}`);
      const realHosts = raw.realHosts ?? false;
      if (typeof realHosts !== 'boolean') errors.push(`${where}.realHosts must be true or false`);
      const predict = readPredict(raw.predict, `${where}.predict`, errors);
      if (predict && (raw.question === undefined || raw.question === null)) errors.push(`${where}.predict needs the step's question (what to predict)`);
      const step = {
        predict,
        title: str(raw, 'title', where, LIMITS.title),
        preset,
        scenario: scenario as ScenarioInput,
        moment,
        text: str(raw, 'text', where, LIMITS.text),
        question: str(raw, 'question', where, LIMITS.text, true),
        highlight: highlight as Highlight | null,
        realHosts: realHosts === true,
      };
      if (step.title !== null && step.preset !== null && step.moment !== null && step.text !== null) steps.push(step as LessonStep);
    });
  if (errors.length) return { ok: false, errors };
  return { ok: true, lesson: { id: id!, title: title!, audience: audience!, paper, summary: summary!, steps, upgraded } };
}

/** A step's prediction: 2 to 5 short choices and the index of the one the run shows. */
function readPredict(v: unknown, where: string, errors: string[]): LessonStep['predict'] {
  if (v === undefined || v === null) return null;
  if (!isPlainObject(v)) {
    errors.push(`${where} must be an object with choices and answer`);
    return null;
  }
  for (const k of Object.keys(v)) if (k !== 'choices' && k !== 'answer') errors.push(`${where}.${k} is not a predict field (choices, answer)`);
  const choices = v.choices;
  if (!Array.isArray(choices) || choices.length < 2 || choices.length > 5 || !choices.every((c) => typeof c === 'string' && c.trim() !== '' && c.length <= 120)) {
    errors.push(`${where}.choices must be a list of 2 to 5 texts of at most 120 characters`);
    return null;
  }
  const answer = v.answer;
  if (typeof answer !== 'number' || !Number.isInteger(answer) || answer < 0 || answer >= choices.length) {
    errors.push(`${where}.answer must be the index of one choice, 0 to ${choices.length - 1}`);
    return null;
  }
  return { choices: choices as string[], answer };
}
