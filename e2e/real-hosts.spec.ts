import { expect, test, type Page } from '@playwright/test';
import { mustResolve, scenarioToQuery, type ScenarioInput } from '../src/core/index';
import { openTab } from './fixtures';

async function runReal(page: Page, input: ScenarioInput): Promise<void> {
  await page.goto(`./?${scenarioToQuery(mustResolve(input))}`);
  await expect(page.getByTestId('narration')).toBeVisible();
  await openTab(page, 'Security lab');
  await page.getByRole('button', { name: 'Run with real hosts' }).click();
  await expect(page.getByTestId('verification')).toBeVisible({ timeout: 90_000 });
}

for (const algorithm of ['precopy', 'postcopy'] as const) {
  test(`should end a real ${algorithm} migration with memory byte-equal to the source`, async ({ page }) => {
    await runReal(page, { vm: { memoryMiB: 128 }, workload: { kind: 'write', workingSetMiB: 32 }, migration: { algorithm } });
    await expect(page.getByTestId('verification')).toContainText('Memory verified: 32,768 pages byte-equal');
    await openTab(page, 'Numbers');
    await expect(page.getByRole('region', { name: 'Metrics' })).toContainText('byte-equal ✓');
  });
}

test('should verify a real SEmigrate split migration in which sub hosts never decrypt', async ({ page }) => {
  await runReal(page, {
    vm: { memoryMiB: 128 },
    workload: { kind: 'write', workingSetMiB: 64, fileShare: 0.5, touchesPerS: 4096 },
    destinations: [{ name: 'main', capacityMiB: 48 }, { name: 'sub1', capacityMiB: 48 }, { name: 'sub2', capacityMiB: 48 }],
    split: { semigrate: true, pagingSeconds: 2 },
  });
  await expect(page.getByTestId('verification')).toContainText('Memory verified');
  expect(await opened(page, 2)).toBe(0);
  expect(await opened(page, 3)).toBe(0);
  expect(await opened(page, 1)).toBeGreaterThan(0);
});

/** Pages a host opened, summed over its channel workers (the table has one row per host and channel). */
async function opened(page: Page, host: number): Promise<number> {
  const cells = await page.locator(`[data-testid^="opened-${host}-"]`).allTextContents();
  expect(cells.length).toBeGreaterThan(0);
  return cells.reduce((sum, t) => sum + Number(t.replaceAll(',', '')), 0);
}

async function peek(page: Page): Promise<string> {
  const grid = page.getByRole('region', { name: 'Migration stage' }).locator('canvas').first();
  await grid.click({ position: { x: 40, y: 40 } });
  return (await page.getByTestId('wire-dump').textContent())!;
}

test('should let an eavesdropper read pages without encryption and see noise with it', async ({ page }) => {
  const base: ScenarioInput = { workload: { kind: 'idle' } };
  await runReal(page, { ...base, cipher: 'none', vm: { memoryMiB: 16, composition: { free: 0, zero: 0, kernelCode: 0, kernelData: 0, pageCache: 0.5, anon: 0.5 } } });
  const clear = await peek(page);
  expect(clear).toMatch(/\[page \d+ v0\]/);
  await expect(page.getByRole('region', { name: 'Real hosts' })).toContainText('in clear — readable by anyone');
  await runReal(page, { ...base, cipher: 'aes-gcm', vm: { memoryMiB: 16, composition: { free: 0, zero: 0, kernelCode: 0, kernelData: 0, pageCache: 0.5, anon: 0.5 } } });
  const sealed = await peek(page);
  expect(sealed).not.toMatch(/\[page \d+/);
  expect(sealed).not.toMatch(/password|PRIVATE KEY|session=/);
  await expect(page.getByRole('region', { name: 'Real hosts' })).toContainText('sealed — noise to an eavesdropper');
});

test('should mount attacks from the lab: a tampered record is rejected, a replay too, a forged commit breaks the invariant only with defences off', async ({ page }) => {
  await page.goto('./?preset=protocol-attacks&play=1');
  await expect(page.getByTestId('narration')).toBeVisible();
  await openTab(page, 'Security lab');
  const lab = page.getByRole('region', { name: 'Security lab: real hosts' });
  const attacker = lab.getByLabel('Attacker on the link');
  await attacker.selectOption('tamper');
  await expect(page.getByTestId('detections')).toContainText('(tag)', { timeout: 60_000 });
  await expect(page.getByTestId('invariant')).toContainText('at the source');
  await expect(page.getByTestId('attack-lesson')).toContainText('What stops it');
  await attacker.selectOption('replay');
  await expect(page.getByTestId('detections')).toContainText('(replay)', { timeout: 60_000 });
  await expect(page.getByTestId('verification')).toContainText('Memory verified');
  await expect(page.getByTestId('invariant')).toContainText('at the destination');
  await attacker.selectOption('forge-commit');
  await expect(page.getByTestId('invariant')).toContainText('held', { timeout: 60_000 });
  await lab.getByLabel('Defences on').uncheck();
  await expect(page.getByTestId('invariant')).toContainText('BROKEN', { timeout: 60_000 });
  expect(page.url()).toContain('security.defences=false');
});
