/**
 * A scenario file the user opens, read before anything changes: size, JSON, the format (upgraded from
 * an older one, with notes), then the resolver. Every refusal names the file and the field.
 */
import { readScenarioFile, resolveScenario, type Scenario } from '../core/index';

export const MAX_SCENARIO_FILE_CHARS = 1_000_000;

export type ReadText = { ok: true; scenario: Scenario; notes: string[] } | { ok: false; errors: string[] };

export function readScenarioText(text: string, name: string): ReadText {
  if (text.length > MAX_SCENARIO_FILE_CHARS) return { ok: false, errors: [`${name} is ${text.length.toLocaleString('en')} characters; a scenario file is at most 1,000,000`] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`${name} is not JSON: ${(e as Error).message}`] };
  }
  const read = readScenarioFile(value);
  if (!read.ok) return { ok: false, errors: [`${name}: ${read.message}`] };
  const r = resolveScenario(read.input);
  if (!r.ok) return { ok: false, errors: r.errors.map((e) => `${name}: ${e.message}`) };
  return { ok: true, scenario: r.scenario, notes: read.notes };
}
