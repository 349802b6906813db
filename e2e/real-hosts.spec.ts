import { expect, test, type Page } from '@playwright/test';
import { mustResolve, scenarioToQuery, type ScenarioInput } from '../src/core/index';

async function runReal(page: Page, input: ScenarioInput): Promise<void> {
  await page.goto(`./?${scenarioToQuery(mustResolve(input))}`);
  await expect(page.getByTestId('narration')).toBeVisible();
  await page.getByRole('button', { name: 'Run with real hosts' }).click();
  await expect(page.getByTestId('verification')).toBeVisible({ timeout: 90_000 });
}

for (const algorithm of ['precopy', 'postcopy'] as const) {
  test(`should end a real ${algorithm} migration with memory byte-equal to the source`, async ({ page }) => {
    await runReal(page, { vm: { memoryMiB: 128 }, workload: { kind: 'write', workingSetMiB: 32 }, migration: { algorithm } });
    await expect(page.getByTestId('verification')).toContainText('Memory verified: 32,768 pages byte-equal');
    await expect(page.locator('[data-metric]').first()).toBeVisible();
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
  await expect(page.getByTestId('opened-2')).toHaveText('0');
  await expect(page.getByTestId('opened-3')).toHaveText('0');
  expect(Number((await page.getByTestId('opened-1').textContent())!.replaceAll(',', ''))).toBeGreaterThan(0);
});

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

test('should reject a tampered record and refuse to resume when the attacker drops one', async ({ page }) => {
  await page.goto('./?preset=protocol-attacks&play=1');
  await expect(page.getByTestId('narration')).toBeVisible();
  const attacker = page.getByLabel('Attacker on the link');
  await attacker.selectOption('flip-bit');
  await page.getByRole('button', { name: 'Run with real hosts' }).click();
  await expect(page.getByTestId('rejections')).toContainText('(tag)', { timeout: 60_000 });
  await expect(page.getByTestId('resumption')).toContainText('refuses to resume');
  await attacker.selectOption('replay');
  await page.getByRole('button', { name: 'Run with real hosts' }).click();
  await expect(page.getByTestId('rejections')).toContainText('(replay)', { timeout: 60_000 });
  await expect(page.getByTestId('verification')).toContainText('Memory verified');
  await expect(page.getByTestId('resumption')).toContainText('resumes the VM');
  await attacker.selectOption('drop');
  await page.getByRole('button', { name: 'Run with real hosts' }).click();
  await expect(page.getByTestId('resumption')).toContainText('refuses to resume', { timeout: 60_000 });
});
