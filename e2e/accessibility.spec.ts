import { expect, test } from '@playwright/test';
import { audit, narration, openTab } from './fixtures';

// axe-core on every view, as a learner meets it: no moderate, serious or critical violation.
const VIEWS: [string, string, (page: import('@playwright/test').Page) => Promise<void>][] = [
  ['the stage after a run', './?preset=first-look&play=1', async (page) => void (await expect(narration(page)).toBeVisible({ timeout: 60_000 }))],
  ['the stage embedded', './?embed=1&preset=first-look', async (page) => void (await expect(narration(page)).toBeVisible({ timeout: 60_000 }))],
  ['the security lab after a real run', './?preset=protocol-attacks&play=1', async (page) => {
    await expect(narration(page)).toBeVisible({ timeout: 60_000 });
    await openTab(page, 'Security lab');
    await page.getByRole('button', { name: 'Run with real hosts' }).click();
    await expect(page.getByTestId('verification')).toBeVisible({ timeout: 60_000 });
  }],
  ['the experiments view, drawn on opening', './?view=experiments', async (page) => {
    await expect(page.getByRole('status').filter({ hasText: /runs in/ })).toBeVisible({ timeout: 90_000 });
  }],
  ['the lessons view', './?view=lessons', async (page) => void (await expect(page.getByRole('heading', { name: 'Lessons' })).toBeVisible())],
  ['presentation mode in a lesson', './?lecture=1&lesson=hu-encryption&step=4', async (page) => void (await expect(page.getByTestId('lesson').getByRole('group', { name: /Predict/ })).toBeVisible({ timeout: 60_000 }))],
  ['a split migration with its what-if knobs', './?preset=semigrate-split', async (page) => void (await expect(page.getByRole('slider', { name: 'Sub hosts' })).toBeVisible({ timeout: 60_000 }))],
  ['the validation view', './?view=validation', async (page) => void (await expect(page.getByTestId('validation-summary')).toBeVisible({ timeout: 60_000 }))],
];

for (const [name, url, ready] of VIEWS) {
  test(`should pass axe-core on ${name}`, async ({ page }) => {
    await page.goto(url);
    await ready(page);
    expect(await audit(page)).toEqual([]);
  });
}
