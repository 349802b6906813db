import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { EXPERIMENT_PRESETS } from '../src/content/experiment-presets';
import { fieldLabel, valueLabel } from '../src/content/field-labels';
import { expandExperiment, experimentToParams, measurePoint, metricById, mustResolve, scenarioToQuery, simulate } from '../src/core/index';
import { formatNumber } from '../src/content/format';
import { expectAccessible, narration, openTab } from './fixtures';

/** The view runs the finding it shows by itself (on opening, on choosing a finding): wait for that run to finish. */
async function runExperiment(page: Page): Promise<void> {
  await expect(page.getByRole('status').filter({ hasText: /runs in/ })).toBeVisible({ timeout: 90_000 });
}

for (const preset of EXPERIMENT_PRESETS) {
  test(`should plot the paper preset "${preset.title}" with its series, axes and caption`, async ({ page }) => {
    await page.goto('./?view=experiments');
    await page.getByLabel('Finding from a paper').selectOption(preset.id);
    await runExperiment(page);
    await expect(page.getByTestId('finding')).toContainText(preset.paper);
    const panels = page.getByRole('group', { name: new RegExp(`against ${fieldLabel(preset.spec.x.field).replace(/[()]/g, '.')}`) });
    await expect(panels).toHaveCount(preset.spec.facet?.values.length ?? 1);
    // Every planned point is a mark you can reach (unless its metric does not apply), and each series is labelled.
    const marks = page.locator('[data-point]');
    expect(await marks.count()).toBeGreaterThan(0);
    expect(await marks.count()).toBeLessThanOrEqual(expandExperiment(preset.spec).length);
    await expect(panels.first().getByText(fieldLabel(preset.spec.x.field), { exact: true })).toBeVisible();
    if (preset.spec.series) for (const v of preset.spec.series.values) await expect(panels.first().getByText(valueLabel(preset.spec.series.field, v), { exact: true })).toBeVisible();
    for (const m of preset.marks) await expect(page.getByText(m.label).first()).toBeAttached();
  });
}

test('should export as CSV exactly the values it plots, and be accessible', async ({ page }) => {
  await page.goto('./?view=experiments');
  await page.getByLabel('Finding from a paper').selectOption('hu-downtime');
  await runExperiment(page);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download data (CSV)' }).click();
  const csv = readFileSync(await (await download).path(), 'utf8').trim().split('\n');
  // The table holds what is drawn, row for row in the same order; the CSV gives the same y at full precision.
  const rows = await page.getByTestId('experiment-table').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));
  expect(csv.length - 1).toBe(rows.length);
  csv.slice(1).forEach((line, i) => {
    const [, , x, y] = line.split(',');
    const row = rows[i]!;
    expect(row[row.length - 3]).toBe(formatNumber(Number(x)));
    expect(row[row.length - 2]).toBe(y === '' ? '—' : formatNumber(Number(y)));
  });
  expect(new Set(await page.locator('[data-point]').evaluateAll((els) => els.map((e) => e.getAttribute('data-point')))).size).toBe(csv.filter((l, i) => i > 0 && l.split(',')[3] !== '').length);
  // The pool of browser workers computed exactly what Node computes for the same spec (seeded, deterministic).
  const spec = EXPERIMENT_PRESETS.find((p) => p.id === 'hu-downtime')!.spec;
  const node = expandExperiment(spec).map((p) => measurePoint(p, metricById(spec.y)!, (sc) => simulate(sc, { trace: false }).metrics));
  for (const r of node) expect(csv.some((line) => line.startsWith(`,${String(r.series)},${r.x},${r.y},`)), `${String(r.series)} at ${r.x}: ${r.y}`).toBe(true);
  for (const name of ['Download figure (SVG)', 'Download figure (PNG)']) {
    const d = page.waitForEvent('download');
    await page.getByRole('button', { name }).click();
    expect((await (await d).path()).length).toBeGreaterThan(0);
  }
  await expectAccessible(page);
});

test('should reproduce an experiment from its URL, open a point on the stage and compare pinned runs', async ({ page }) => {
  const preset = EXPERIMENT_PRESETS.find((p) => p.id === 'hu-host-pairs')!;
  const q = new URLSearchParams(scenarioToQuery(mustResolve(preset.spec.base)));
  for (const [k, v] of Object.entries(experimentToParams({ ...preset.spec, x: { ...preset.spec.x, points: 2 } }))) q.set(k, v);
  q.set('view', 'experiments');
  await page.goto(`./?${q}`);
  await expect(page.getByRole('status').filter({ hasText: '6 of 6 runs in' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByLabel('As overhead over')).toHaveValue('cipher=none');
  const point = page.locator('[data-point]').first();
  await point.click();
  await expect(page.getByTestId('chosen-point')).toContainText('%');
  await page.getByRole('button', { name: 'Pin to compare' }).click();
  await expect(page.getByTestId('compare-table')).toBeVisible();
  await page.getByRole('button', { name: 'Open this run on the stage' }).click();
  await expect(narration(page)).toBeVisible({ timeout: 60_000 });
  await openTab(page, 'Numbers');
  await page.getByRole('button', { name: 'Pin to compare' }).click();
  await page.getByRole('button', { name: 'Experiments', exact: true }).click();
  await expect(page.getByTestId('compare-table').locator('thead th')).toHaveCount(3);
  await expect(page.getByTestId('compare-table')).toContainText('Total migration time');
  await expect(page.getByTestId('compare-timelines').getByRole('img')).toHaveCount(2);
});
