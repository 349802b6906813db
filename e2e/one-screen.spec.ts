/**
 * The stage as a lecturer and a course page meet it: in presentation mode every step of every lesson
 * fits one screen at the projector sizes — the step text, the narration, every host's grid, the
 * playback controls and the part the step points at, with no scrolling — the normal stage at the
 * commonest laptop size, and an 800×600 embed. Lessons are walked with PageDown, as with a clicker.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { simTime } from './fixtures';

const lessons = readdirSync(new URL('../src/content/lessons/', import.meta.url)).map(
  (f) => JSON.parse(readFileSync(new URL(`../src/content/lessons/${f}`, import.meta.url), 'utf8')) as { id: string; steps: { title: string; highlight?: string | null }[] },
);
const PROJECTORS = [
  { width: 1280, height: 720 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
];

/** Whether the element's whole box is inside the viewport (and has a size). */
async function onScreen(l: Locator): Promise<{ ok: boolean; box: string }> {
  const r = await l.evaluate((el) => {
    const b = el.getBoundingClientRect();
    return { top: b.top, left: b.left, bottom: b.bottom, right: b.right, w: innerWidth, h: innerHeight };
  });
  const ok = r.bottom > r.top && r.right > r.left && r.top >= -1 && r.left >= -1 && r.bottom <= r.h + 1 && r.right <= r.w + 1;
  return { ok, box: `${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)} in ${r.w}×${r.h}` };
}

async function expectOnScreen(l: Locator, what: string): Promise<void> {
  await expect.poll(async () => (await onScreen(l)).ok, { message: `${what} on screen (${(await onScreen(l)).box})` }).toBe(true);
}

/** A part taller than what is left of the screen (the security lab) counts when its top and 120 px of it are on screen. */
async function expectShown(l: Locator, what: string): Promise<void> {
  const shown = async (): Promise<{ ok: boolean; box: string }> => {
    const r = await l.evaluate((el) => {
      const b = el.getBoundingClientRect();
      return { top: b.top, bottom: b.bottom, left: b.left, right: b.right, h: innerHeight, w: innerWidth };
    });
    const visible = Math.min(r.bottom, r.h) - Math.max(r.top, 0);
    const ok = r.top >= -1 && r.left >= -1 && r.right <= r.w + 1 && (r.bottom <= r.h + 1 || visible >= 120);
    return { ok, box: `${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)} in ${r.w}×${r.h}` };
  };
  await expect.poll(async () => (await shown()).ok, { message: `${what} on screen (${(await shown()).box})` }).toBe(true);
}

async function expectNoScroll(page: Page): Promise<void> {
  const [scroll, height] = await page.evaluate(() => [document.documentElement.scrollHeight, innerHeight]);
  expect(scroll, 'the page does not scroll').toBeLessThanOrEqual(height);
}

async function expectStageOnScreen(page: Page): Promise<void> {
  await expectOnScreen(page.getByTestId('narration'), 'the narration');
  const grids = page.getByRole('img', { name: /memory grid/ }).or(page.locator('canvas[aria-label*="memory grid"]'));
  const n = await grids.count();
  expect(n).toBeGreaterThanOrEqual(2);
  for (let i = 0; i < n; i++) await expectOnScreen(grids.nth(i), `memory grid ${i + 1}`);
  await expectOnScreen(page.getByRole('group', { name: 'Playback' }), 'the playback controls');
  await expectNoScroll(page);
}

for (const size of PROJECTORS) {
  for (const lesson of lessons) {
    test(`should fit every step of "${lesson.id}" on one ${size.width}×${size.height} screen in presentation mode`, async ({ page }) => {
      test.setTimeout(180_000);
      await page.setViewportSize(size);
      await page.goto(`./?lecture=1&lesson=${lesson.id}`);
      const panel = page.getByTestId('lesson');
      for (let i = 0; i < lesson.steps.length; i++) {
        const step = lesson.steps[i]!;
        await expect(panel.getByRole('heading', { name: step.title })).toBeVisible({ timeout: 60_000 });
        await expect(page.getByTestId('lesson-step')).toHaveText(String(i + 1));
        await expectOnScreen(panel.getByRole('heading', { name: step.title }), 'the step title');
        await expectOnScreen(panel.locator('.text'), 'the step text');
        await expectStageOnScreen(page);
        if (step.highlight) await expectShown(page.locator(`[data-part="${step.highlight}"]`).first(), `the highlighted ${step.highlight}`);
        if (i < lesson.steps.length - 1) await page.keyboard.press('PageDown');
      }
    });
  }
}

test('should fit the normal stage on a 1366×768 laptop: grids, playback, narration and the key numbers', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  for (const preset of ['first-look', 'fctrans-split', 'hu-postcopy-s-f']) {
    await page.goto(`./?preset=${preset}`);
    await expect(page.getByTestId('fingerprint')).not.toBeEmpty({ timeout: 60_000 });
    await expectStageOnScreen(page);
    await expectOnScreen(page.getByRole('region', { name: 'Key numbers' }), 'the key numbers');
  }
});

test('should fit the stage and the chosen controls in an 800×600 embed', async ({ page }) => {
  for (const q of ['embed=1&lesson=five-minutes&step=2&controls=lesson,playback', 'embed=1&preset=fctrans-split', 'embed=1&preset=first-look&controls=playback']) {
    await page.setViewportSize({ width: 800, height: 600 });
    await page.goto(`./?${q}`);
    await expect(page.getByRole('group', { name: 'Playback' })).toBeVisible({ timeout: 60_000 });
    await expectStageOnScreen(page);
    if (q.includes('lesson')) await expectOnScreen(page.getByTestId('lesson').locator('.text'), 'the step text');
  }
});

test('should play a lesson step by itself: its time advances with no click', async ({ page }) => {
  await page.goto('./?lesson=five-minutes&step=2');
  await expect(page.getByTestId('lesson-step')).toHaveText('2', { timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  const first = await simTime(page);
  await expect.poll(() => simTime(page)).toBeGreaterThan(first);
});

test('should step the lesson with PageDown in presentation mode whatever has focus, and leave it with Esc', async ({ page }) => {
  await page.goto('./?lecture=1&lesson=five-minutes');
  await expect(page.getByTestId('lesson-step')).toHaveText('1', { timeout: 60_000 });
  const speed = page.getByRole('combobox', { name: 'Playback speed' });
  const before = await speed.inputValue();
  await speed.focus();
  await page.keyboard.press('PageDown');
  await expect(page.getByTestId('lesson-step')).toHaveText('2');
  expect(await speed.inputValue()).toBe(before);
  await page.getByRole('slider', { name: 'Link bandwidth' }).focus();
  await page.keyboard.press('PageDown');
  await expect(page.getByTestId('lesson-step')).toHaveText('3');
  await page.keyboard.press('PageUp');
  await expect(page.getByTestId('lesson-step')).toHaveText('2');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('switch', { name: 'Presentation mode' })).not.toBeChecked();
  expect(page.url()).not.toContain('lecture=1');
});

test('should open paused on a telling frame with one large Play when the user asks for reduced motion', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('./');
  await expect(page.getByTestId('fingerprint')).not.toBeEmpty({ timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  // Mid-way through the first pass: some pages sent, some not.
  await expect(page.getByTestId('narration')).toContainText('Round 1');
  expect(await simTime(page)).toBeGreaterThan(0);
});
