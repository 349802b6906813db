/**
 * What the browser tests share: opening a scenario by URL, and an accessibility audit with axe-core
 * (injected from node_modules, so no network) that returns the violations a learner would meet.
 */
import { createRequire } from 'node:module';
import { expect, type Page } from '@playwright/test';
import { mustResolve, scenarioToQuery, type ScenarioInput } from '../src/core/index';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

export const narration = (page: Page) => page.getByTestId('narration');

/** Open one of the stage's side tabs (What if, Scenario, Numbers, Security lab, Share) and wait for it to be chosen. */
export async function openTab(page: Page, name: string): Promise<void> {
  const tab = page.getByRole('tab', { name, exact: true });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

/** The simulated time shown under the stage, in seconds (the scrubber's value). */
export async function simTime(page: Page): Promise<number> {
  return Number(await page.getByRole('slider', { name: 'Time', exact: true }).inputValue());
}

/** Open the app on a scenario (and app keys such as view=…) and wait for the stage when it runs. */
export async function openScenario(page: Page, input: ScenarioInput, extra = ''): Promise<void> {
  await page.goto(`./?${scenarioToQuery(mustResolve(input))}${extra ? `&${extra}` : ''}`);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
}

/** Run axe-core on the page; returns moderate, serious and critical violations (none is allowed). */
export async function audit(page: Page): Promise<AxeViolation[]> {
  // A playing stage changes its DOM every frame, and a node detached mid-run can leave axe.run
  // unresolved: pause it first and wait until it shows it is paused.
  const pause = page.getByRole('group', { name: 'Playback' }).getByRole('button', { name: 'Pause', exact: true });
  if (await pause.isVisible()) {
    await pause.click();
    await expect(page.getByRole('group', { name: 'Playback' }).getByRole('button', { name: 'Play', exact: true })).toBeVisible();
  }
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: unknown[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
  });
  return found.filter((v) => v.impact === 'moderate' || v.impact === 'serious' || v.impact === 'critical');
}

export async function expectAccessible(page: Page): Promise<void> {
  expect(await audit(page), 'axe-core violations').toEqual([]);
}
