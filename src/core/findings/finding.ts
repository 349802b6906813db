/**
 * A paper's finding as something the model can be held to: the paper's words and figures, the testbed
 * the scenarios are built from, how the wording is read (the tolerance), and a check that runs the
 * model and says what it gives. `expected` records whether the model reproduces the finding today;
 * a test holds each finding to it, so a finding that starts or stops holding shows at once, and the
 * README's list of findings known to differ is the `differs` ones with their `why`.
 */
import type { Metrics } from '../metrics';
import type { ScenarioInput } from '../scenario-types';

/** Runs a scenario headless; the same input runs once per check session (see `runner`). */
export type Runner = (input: ScenarioInput) => Metrics;

export interface FindingResult {
  holds: boolean;
  /** What the model gives, in the paper's terms. */
  model: string;
}

export interface Finding {
  id: string;
  paper: string;
  /** Where in the paper. */
  where: string;
  /** The paper's words. */
  claim: string;
  /** The paper's figure, or the shape it states. */
  paperFigure: string;
  /** How the wording is read as a check, and any figure the paper does not give. */
  tolerance: string;
  /** The testbed profile the scenarios run on. */
  testbed: string;
  /** An experiments preset that plots it, when there is one. */
  experiment?: string;
  expected: 'holds' | 'differs';
  /** For a finding that differs: why, in the model's mechanisms. */
  why?: string;
  check(run: Runner): FindingResult;
}

/** `a` within [lo − slack, hi + slack]. */
export const within = (a: number, lo: number, hi: number, slack = 0): boolean => a >= lo - slack && a <= hi + slack;
export const pct = (x: number): string => `${x.toFixed(1)} %`;
export const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
