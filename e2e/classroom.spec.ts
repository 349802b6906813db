import { expect, test } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { audit, narration, openTab, simTime } from './fixtures';

const lessonIds = readdirSync(new URL('../src/content/lessons/', import.meta.url)).map((f) => JSON.parse(readFileSync(new URL(`../src/content/lessons/${f}`, import.meta.url), 'utf8')) as { id: string; title: string; steps: { title: string }[] });

test('should take a newcomer through "Live migration in five minutes" to its end, from the keyboard', async ({ page }) => {
  const lesson = lessonIds.find((l) => l.id === 'five-minutes')!;
  await page.goto('./');
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  await page.getByRole('button', { name: 'Start “Live migration in five minutes”' }).click();
  const panel = page.getByTestId('lesson');
  for (let i = 0; i < lesson.steps.length; i++) {
    await expect(panel.getByRole('heading', { name: lesson.steps[i]!.title })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('lesson-step')).toHaveText(String(i + 1));
    await expect(narration(page)).not.toBeEmpty();
    expect(page.url()).toContain(`step=${i + 1}`);
    if (i < lesson.steps.length - 1) await page.keyboard.press('PageDown');
  }
  // The last step stops post-copy at its first network fault: the counter shows it.
  await expect(page.locator('[data-live="network"]')).not.toHaveText('0');
  // Past the last step the lesson sums up and offers the next one.
  await page.keyboard.press('PageDown');
  await expect(panel.getByRole('heading', { name: 'What you saw' })).toBeVisible();
  await expect(panel.getByRole('button', { name: /^Next lesson: / })).toBeVisible();
  await page.keyboard.press('PageUp');
  await expect(panel.getByRole('heading', { name: lesson.steps.at(-1)!.title })).toBeVisible();
  await page.keyboard.press('PageUp');
  await expect(page.getByTestId('lesson-step')).toHaveText(String(lesson.steps.length - 1));
});

for (const l of lessonIds) {
  test(`should open the lesson "${l.title}" by its URL, accessibly`, async ({ page }) => {
    await page.goto(`./?lesson=${l.id}`);
    await expect(page.getByTestId('lesson').getByRole('heading', { name: l.steps[0]!.title })).toBeVisible({ timeout: 60_000 });
    await expect(narration(page)).toBeVisible();
    // The step's clip played and held: axe walks a stage that is not changing under it (a node detached
    // mid-run can leave axe.run unresolved — it did, one load in seven, when a short clip ended during it).
    await expect(page.getByRole('group', { name: 'Playback' }).getByRole('button', { name: 'Play', exact: true })).toBeVisible({ timeout: 60_000 });
    expect(await audit(page)).toEqual([]);
  });
}

test('should give a lecturer the presentation layout, highlighting the part each step is about, and step through teaching moments', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('./?lesson=five-minutes&step=3&lecture=1');
  await expect(page.getByTestId('lesson-step')).toHaveText('3', { timeout: 60_000 });
  await expect(page.getByRole('region', { name: 'Scenario' })).toHaveCount(0);
  const size = await page.locator('.migrascope').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(size).toBeGreaterThanOrEqual(26);
  await expect(page.locator('[data-part="rounds"]')).toHaveCSS('outline-style', 'solid');
  await page.screenshot({ path: 'test-results/lecture-1920.png' });
  // Without a lesson, presentation mode steps from one teaching moment to the next.
  await page.getByRole('button', { name: 'Leave the lesson' }).click();
  await expect(page.getByTestId('lesson')).toHaveCount(0);
  const time = page.getByRole('slider', { name: 'Time', exact: true });
  await page.keyboard.press('Home');
  await expect.poll(() => simTime(page)).toBe(Number(await time.getAttribute('min')));
  await page.keyboard.press('PageDown');
  await expect.poll(() => simTime(page)).toBeGreaterThan(Number(await time.getAttribute('min')));
  const round1 = await simTime(page);
  await page.keyboard.press('PageDown');
  await expect.poll(() => simTime(page)).toBeGreaterThan(round1);
  // Playing in presentation mode stops by itself at the next teaching moment: wait for the time to
  // move past where it was (the state the click causes), then for the player to hold again.
  const at = await simTime(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => simTime(page), { timeout: 30_000 }).toBeGreaterThan(at);
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible({ timeout: 30_000 });
  const stoppedAt = await simTime(page);
  expect(stoppedAt).toBeGreaterThan(at);
  expect(stoppedAt).toBeLessThan(Number(await time.getAttribute('max')));
  expect(await audit(page)).toEqual([]);
});

test('should work embedded in a course page from another origin, sizing its frame', async ({ page }) => {
  // 127.0.0.1 and localhost are different origins: the course page on one, the app on the other.
  await page.goto('http://localhost:4173/embed-demo.html?app=http://127.0.0.1:4173/');
  const app = page.frameLocator('#migrascope');
  await expect(app.getByTestId('lesson-step')).toHaveText('2', { timeout: 60_000 });
  await expect(app.getByTestId('narration')).toBeVisible();
  await app.getByRole('button', { name: 'Next' }).click();
  await expect(app.getByTestId('lesson-step')).toHaveText('3', { timeout: 60_000 });
  await expect.poll(async () => (await page.locator('#migrascope').boundingBox())!.height).toBeGreaterThan(490);
  const origins = await page.evaluate(() => [location.origin, (document.getElementById('migrascope') as HTMLIFrameElement).src]);
  expect(new URL(origins[1]!).origin).not.toBe(origins[0]);
});

test('should keep working offline once loaded (service worker)', async ({ page, context }) => {
  await page.goto('./');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
  await context.setOffline(true);
  await page.reload();
  // Offline, the app still loads, runs and plays the first look by itself.
  await expect(page.locator('[data-metric="status"]')).toHaveText('completed', { timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await context.setOffline(false);
});

test('should show pages dealt to the main and sub hosts of a split migration', async ({ page }) => {
  await page.goto('./?lesson=fctrans-unused&step=1');
  await expect(page.getByTestId('lesson-step')).toHaveText('1', { timeout: 60_000 });
  for (const h of [1, 2, 3, 4]) await expect(page.getByTestId(`activity-${h}`)).toContainText('pages arriving');
});
