import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { parseRunsCsv } from '../src/core/validation/measured-run';
import { validateRuns } from '../src/core/validation/compare';
import { expectAccessible, narration, openTab } from './fixtures';

import { SERIES } from '../src/core/validation/qemu-testbed';

const csv = readFileSync(new URL('../src/core/validation/qemu-7.2-v2/runs.csv', import.meta.url), 'utf8');
const parsed = parseRunsCsv(csv);
if (!parsed.ok) throw new Error(parsed.error);
// The view opens on the controlled-start series, predicted as Node predicts it.
const node = validateRuns(parsed.runs, SERIES.v2);

test('should show every measured QEMU run against the prediction, as in Node, and open one on the stage', async ({ page }) => {
  await page.goto('./?view=validation');
  await expect(page.getByRole('heading', { name: 'Real QEMU vs Migrascope' })).toBeVisible();
  const within = node.filter((r) => r.withinTolerance).length;
  await expect(page.getByTestId('validation-summary')).toHaveText(`${within} of ${node.length} runs predicted within ±20 % with the right outcome.`, { timeout: 60_000 });
  const table = page.getByTestId('validation-table');
  await expect(table.locator('tbody tr')).toHaveCount(node.length);
  for (const r of node) await expect(table.getByRole('rowheader', { name: r.run.tag, exact: true })).toBeVisible();
  const plot = page.getByRole('group', { name: /predicted against measured/ });
  await expect(plot.getByRole('button')).toHaveCount(node.filter((r) => r.run.status === 'completed').length);
  await expectAccessible(page);
  const first = node[0]!;
  await table.getByRole('button', { name: `Open ${first.run.tag} on the stage` }).click();
  await expect(narration(page)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Stage', exact: true })).toHaveAttribute('aria-current', 'page');
  await openTab(page, 'Numbers');
  await expect(page.locator('[data-metric="ram.transferred"]')).toBeVisible();
});

test('should describe its testbed from the data and fit its table in a 1280 px window', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('./?view=validation');
  const table = page.getByTestId('validation-table');
  await expect(table.locator('tbody tr')).toHaveCount(node.length, { timeout: 60_000 });
  await expect(page.getByText(/a 256 or 512 MiB guest under TCG on a 2-core host/)).toBeVisible();
  const [needed, given] = await table.evaluate((el) => [el.scrollWidth, el.parentElement!.clientWidth]);
  expect(needed).toBeLessThanOrEqual(given);
});

test('should show a runs.csv the user opens against the model, and refuse a malformed one by line and column', async ({ page }) => {
  await page.goto('./?view=validation');
  await expect(page.getByTestId('validation-table').locator('tbody tr')).toHaveCount(node.length, { timeout: 60_000 });
  const mine = csv.split('\n').slice(0, 4).join('\n');
  await page.getByLabel('runs.csv file to open').setInputFiles({ name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(mine) });
  await expect(page.getByTestId('validation-table').locator('tbody tr')).toHaveCount(3, { timeout: 60_000 });
  await expect(page.getByText(/from mine\.csv/)).toBeVisible();
  const bad = mine.replace('precopy', 'teleport');
  await page.getByLabel('runs.csv file to open').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await expect(page.getByRole('alert')).toContainText('bad.csv could not be read: line 2, column mode');
  await expect(page.getByTestId('validation-table').locator('tbody tr')).toHaveCount(3);
});

test('should predict your runs on your testbed description, and refuse a hostile one by field', async ({ page }) => {
  await page.goto('./?view=validation');
  await expect(page.getByTestId('validation-table').locator('tbody tr')).toHaveCount(node.length, { timeout: 60_000 });
  const mine = csv.split('\n').slice(0, 4).join('\n');
  await page.getByLabel('runs.csv file to open').setInputFiles({ name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(mine) });
  await expect(page.getByText(/from mine\.csv/)).toBeVisible({ timeout: 60_000 });
  const hostile = '{"format":1,"memoryMiB":256,"zeroShare":0.69,"cores":2,"__proto__":{"polluted":1}}';
  await page.getByLabel('testbed description to open').setInputFiles({ name: 'evil.json', mimeType: 'application/json', buffer: Buffer.from(hostile) });
  await expect(page.getByRole('alert')).toContainText('evil.json could not be read: __proto__ is not a testbed field');
  const laptop = '{"format":1,"name":"four cores","memoryMiB":256,"zeroShare":0.69,"cores":4}';
  await page.getByLabel('testbed description to open').setInputFiles({ name: 'laptop.json', mimeType: 'application/json', buffer: Buffer.from(laptop) });
  await expect(page.getByText(/laptop\.json replaces the shipped testbed/)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Testbed: laptop.json' })).toBeVisible();
  await expect(page.getByTestId('validation-table').locator('tbody tr')).toHaveCount(3);
});
