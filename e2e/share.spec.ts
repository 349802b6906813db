/**
 * Links and files that last: copy a link to this run, download the scenario the CLI reads, open such
 * a file (a hostile one refused by field, nothing lost), and open a link or file from an older format.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { openTab } from './fixtures';

test('should copy a link that reopens the same run, download the scenario file and open it again', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('./?v=2&preset=hu-precopy-3des&seed=5');
  const fingerprint = page.getByTestId('fingerprint');
  await expect(fingerprint).not.toBeEmpty({ timeout: 60_000 });
  const run = await fingerprint.textContent();
  await openTab(page, 'Share');
  await page.getByRole('button', { name: 'Copy link to this run' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Link copied' })).toBeVisible();
  const link = await page.getByRole('textbox', { name: 'Link to this run' }).inputValue();
  expect(link).toContain('v=2');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  const again = await context.newPage();
  await again.goto(link);
  await expect(again.getByTestId('fingerprint')).toHaveText(run!, { timeout: 60_000 });

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download scenario file' }).click();
  const file = await (await download).path();
  const json = JSON.parse(readFileSync(file, 'utf8'));
  expect(json.format).toBe(2);
  expect(json.cipher).toBe('3des');
  expect(json.seed).toBe(5);

  // Open it on a fresh stage: the same run.
  const third = await context.newPage();
  await third.goto('./');
  await expect(third.getByTestId('fingerprint')).not.toBeEmpty({ timeout: 60_000 });
  await openTab(third, 'Share');
  await third.getByLabel('Scenario file to open').setInputFiles(file);
  await expect(third.getByTestId('fingerprint')).toHaveText(run!, { timeout: 60_000 });
});

test('should refuse a hostile scenario file by its field and keep the current run', async ({ page }) => {
  await page.goto('./');
  const fingerprint = page.getByTestId('fingerprint');
  await expect(fingerprint).not.toBeEmpty({ timeout: 60_000 });
  const run = await fingerprint.textContent();
  await openTab(page, 'Share');
  const input = page.getByLabel('Scenario file to open');
  await input.setInputFiles({ name: 'evil.json', mimeType: 'application/json', buffer: Buffer.from('{"format":2,"__proto__":{"polluted":1},"vm":{"memoryMiB":1e12}}') });
  const refused = page.getByRole('alert', { name: 'File refused' });
  await expect(refused).toContainText('evil.json');
  await expect(refused).toContainText('vm.memoryMiB');
  await input.setInputFiles({ name: 'future.json', mimeType: 'application/json', buffer: Buffer.from('{"format":7}') });
  await expect(refused).toContainText('future.json: format is 7');
  await input.setInputFiles({ name: 'junk.json', mimeType: 'application/json', buffer: Buffer.from('{not json') });
  await expect(refused).toContainText('junk.json is not JSON');
  await expect(fingerprint).toHaveText(run!);
  expect(await page.evaluate(() => ({}) as Record<string, unknown>)).not.toHaveProperty('polluted');
});

test('should open a link and a file from format 1 with the same run as today’s format and say what was upgraded', async ({ page }) => {
  await page.goto('./?workload.rateMiBps=24&workload.workingSetMiB=64&preset=hu-precopy-aes');
  await expect(page.getByTestId('upgrade-notes')).toContainText('workload.rateMiBps = 24 MiB/s (format 1) became workload.touchesPerS = 6144 pages/s');
  const fingerprint = page.getByTestId('fingerprint');
  await expect(fingerprint).not.toBeEmpty({ timeout: 60_000 });
  const old = await fingerprint.textContent();
  await page.goto('./?v=2&workload.touchesPerS=6144&workload.workingSetMiB=64&preset=hu-precopy-aes');
  await expect(page.getByTestId('fingerprint')).toHaveText(old!, { timeout: 60_000 });
  await expect(page.getByTestId('upgrade-notes')).toHaveCount(0);

  await openTab(page, 'Share');
  await page.getByLabel('Scenario file to open').setInputFiles(new URL('../src/core/__fixtures__/format-1/hu-precopy-aes.json', import.meta.url).pathname);
  await expect(page.getByTestId('upgrade-notes')).toContainText('workload.rateMiBps = 48 MiB/s (format 1)');
});
