import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { mustResolve, PRESETS, scenarioToQuery, simulate, type ScenarioInput } from '../src/core/index';
import { narration, openTab, simTime } from './fixtures';


test('should open alive: the root URL plays the first look with no click, to a completed run', async ({ page }) => {
  await page.goto('./');
  // The run plays by itself: the simulated time moves past its first reading with no click.
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible({ timeout: 60_000 });
  const first = await simTime(page);
  await expect.poll(() => simTime(page)).toBeGreaterThan(first);
  await page.keyboard.press('End');
  await expect(narration(page)).toContainText('Done in');
  await expect(page.locator('[data-headline="finished"]')).toHaveText('Yes');
  await openTab(page, 'Scenario');
  await expect(page.getByRole('combobox', { name: 'Preset' })).toHaveValue('first-look');
  await expect(page.locator('[data-metric="status"]')).toHaveText('completed');
});

test('should re-run the model when a what-if slider moves, with no Run click, and keep the run before as a ghost', async ({ page }) => {
  await page.goto('./?preset=first-look');
  const fingerprint = page.getByTestId('fingerprint');
  await expect(fingerprint).not.toBeEmpty({ timeout: 60_000 });
  const before = await fingerprint.textContent();
  const bandwidth = page.getByRole('slider', { name: 'Link bandwidth' });
  await bandwidth.focus();
  for (let i = 0; i < 10; i++) await bandwidth.press('ArrowLeft');
  await expect(fingerprint).not.toHaveText(before!);
  await expect(page.getByTestId('ghost')).toContainText('Before your change');
  expect(page.url()).toContain('links.0.bandwidthMbps=');
  // The stage keeps playing the new run from where it was, not from the start.
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
});

test('should step through the dirty-page rounds one at a time', async ({ page }) => {
  const preset = PRESETS.find((p) => p.id === 'hu-precopy-aes')!;
  const run = simulate(mustResolve(preset.input));
  await page.goto('./?preset=hu-precopy-aes');
  await expect(page.getByTestId('fingerprint')).not.toBeEmpty({ timeout: 60_000 });
  await page.keyboard.press('Home');
  await expect(narration(page)).toContainText('Connecting');
  const step = page.getByRole('button', { name: 'Step round' });
  await step.click();
  await expect(narration(page)).toContainText('Round 1: every page is sent once');
  await step.click();
  const dirtied = run.metrics.rounds[0]!.dirtied.toLocaleString('en');
  await expect(narration(page)).toContainText(`Round 2: ${dirtied} pages were written after they were sent`);
  await page.getByRole('button', { name: 'Previous round' }).click();
  await expect(narration(page)).toContainText('Round 1');
});

test('should show the same numbers as the command line for the same scenario and seed', async ({ page }) => {
  const input: ScenarioInput = { seed: 9, vm: { memoryMiB: 512 }, workload: { kind: 'write', workingSetMiB: 96 }, cipher: '3des', migration: { maxRounds: 6 } };
  const dir = mkdtempSync(join(tmpdir(), 'migrascope-'));
  writeFileSync(join(dir, 's.json'), JSON.stringify(input));
  const cli = JSON.parse(execFileSync('npx', ['tsx', 'scripts/simulate.ts', '--trace-digest', join(dir, 's.json')], { encoding: 'utf8' }));
  await page.goto(`./?${scenarioToQuery(mustResolve(input))}`);
  await expect(page.getByTestId('fingerprint')).toHaveText(cli['trace-digest']);
  await expect(page.locator('[data-metric="ram.normal"]')).toHaveText(cli.ram.normal.toLocaleString('en'));
  await expect(page.locator('[data-metric="ram.dirty-sync-count"]')).toHaveText(String(cli.ram['dirty-sync-count']));
  await expect(page.locator('[data-metric="total-time"]')).toHaveText(`${(cli['total-time'] / 1000).toFixed(2)} s`);
  await expect(page.locator('[data-metric="status"]')).toHaveText('completed (did not converge)');
});

test('should refuse a bad parameter with its message and start no run', async ({ page }) => {
  await page.goto('./');
  const fingerprint = page.getByTestId('fingerprint');
  await expect(fingerprint).not.toBeEmpty({ timeout: 60_000 });
  const shown = await fingerprint.textContent();
  await openTab(page, 'Scenario');
  const ws = page.getByLabel('Memory the program uses');
  await ws.fill('9999');
  await expect(page.getByRole('alert', { name: 'Scenario errors' })).toContainText('workload.workingSetMiB must be at most');
  await expect(page.getByRole('button', { name: 'Run migration' })).toBeDisabled();
  await expect(fingerprint).toHaveText(shown!);
  await ws.fill('16');
  await expect(page.getByRole('button', { name: 'Run migration' })).toBeEnabled();
  await page.getByRole('button', { name: 'Run migration' }).click();
  await expect(fingerprint).not.toHaveText(shown!);
});

test('should reproduce the exact run from its URL', async ({ page, context }) => {
  await page.goto('./?preset=hu-postcopy-s-f');
  await expect(page.getByTestId('fingerprint')).not.toBeEmpty({ timeout: 60_000 });
  const fingerprint = await page.getByTestId('fingerprint').textContent();
  expect(page.url()).toContain('migration.algorithm=postcopy');
  const again = await context.newPage();
  await again.goto(page.url());
  await expect(again.getByTestId('fingerprint')).toHaveText(fingerprint!);
});

test('should work with the keyboard alone', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('fingerprint')).not.toBeEmpty({ timeout: 60_000 });
  // Tab from the top of the page to the Play/Pause button, then drive playback by shortcuts.
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    if (/^(Play|Pause)$/.test((await page.evaluate(() => document.activeElement?.textContent?.trim())) ?? '')) break;
  }
  await expect(page.getByRole('group', { name: 'Playback' }).getByRole('button').first()).toBeFocused();
  await page.keyboard.press('Home');
  await expect(narration(page)).toContainText('Connecting');
  await page.keyboard.press(']');
  await expect(narration(page)).toContainText('Round 1');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('End');
  await expect(narration(page)).toContainText('Done in');
  await page.keyboard.press('Home');
  await expect(narration(page)).toContainText('Connecting');
  const grid = page.getByRole('region', { name: 'Migration stage' }).locator('canvas').first();
  await grid.focus();
  await page.keyboard.press('ArrowRight');
  await expect(grid).toHaveAttribute('aria-label', /Page 1 selected/);
});

test('should give a course site the stage alone when embedded', async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 700 });
  await page.goto('./?embed=1&preset=first-look');
  await expect(narration(page)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Scenario' })).toHaveCount(0);
  await expect(page.getByRole('banner')).toHaveCount(0);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('should announce the narration to screen readers once per phase, not at every frame', async ({ page }) => {
  await page.goto('./?preset=first-look&play=1');
  const spoken = page.getByTestId('spoken-narration');
  await expect(spoken).not.toBeEmpty({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Step round' }).click();
  const atRound = await spoken.textContent();
  // Stepping events inside the round changes the visible counts but not what is announced.
  await page.getByRole('button', { name: 'Step event' }).click();
  await page.getByRole('button', { name: 'Step event' }).click();
  await expect(spoken).toHaveText(atRound!);
  await page.getByRole('button', { name: 'Step round' }).click();
  await expect(spoken).not.toHaveText(atRound!);
});

test('should run Hu et al.’s preset on their hypervisor and switch it to today’s from What if', async ({ page }) => {
  await page.goto('./?preset=hu-precopy-aes');
  const fingerprint = page.getByTestId('fingerprint');
  await expect(fingerprint).not.toBeEmpty({ timeout: 60_000 });
  const link = page.getByLabel('Network link');
  await expect(link).toContainText('qemu-kvm 0.12');
  const before = await fingerprint.textContent();
  await page.getByRole('radio', { name: 'QEMU 7.2' }).check();
  await expect(fingerprint).not.toHaveText(before!);
  await expect(link).not.toContainText('qemu-kvm 0.12');
  expect(page.url()).not.toContain('hypervisor=');
});
