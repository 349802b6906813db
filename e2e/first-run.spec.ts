import { expect, test } from '@playwright/test';
import { mustResolve, simulate, traceDigest, scenarioToQuery } from '../src/core/index';
import { openTab } from './fixtures';

test('should run the first-look preset and show its metrics', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByRole('heading', { name: 'Migrascope' })).toBeVisible();
  await expect(page.getByTestId('fingerprint')).not.toBeEmpty({ timeout: 60_000 });
  await openTab(page, 'Numbers');
  const metrics = page.getByRole('region', { name: 'Metrics' });
  await expect(metrics.locator('[data-metric="status"]')).toHaveText('completed');
  await expect(metrics.locator('[data-metric="total-time"]')).toContainText('s');
});

test('should compute the same trace in Chromium as in Node for the same scenario and seed', async ({ page }) => {
  const input = { vm: { memoryMiB: 128 }, workload: { workingSetMiB: 32 }, seed: 2026 };
  const scenario = mustResolve(input);
  const node = simulate(scenario);
  await page.goto(`./?${scenarioToQuery(scenario)}`);
  await expect(page.getByTestId('fingerprint')).toHaveText(traceDigest(node.trace));
  const shown = await page.locator('[data-metric="ram.normal"]').textContent();
  expect(shown).toBe(node.metrics.ram.normal.toLocaleString('en'));
});

test('should open a link with a bad scenario, show every error and start no run', async ({ page }) => {
  await page.goto('./?vm.memoryMiB=8&cipher=rot13');
  await openTab(page, 'Scenario');
  await expect(page.getByRole('button', { name: 'Run migration' })).toBeDisabled();
  const alert = page.getByRole('alert', { name: 'Scenario errors' });
  await expect(alert).toContainText('vm.memoryMiB must be from 16 to 524288');
  await expect(alert).toContainText('cipher must be one of');
  await expect(page.getByTestId('fingerprint')).toHaveCount(0);
  await expect(page.getByRole('group', { name: 'Playback' })).toHaveCount(0);
});
