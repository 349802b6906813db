import { expect, test } from '@playwright/test';
import { narration, openTab } from './fixtures';

// The app under its own Content Security Policy (scripts and workers from its origin only, no eval):
// a run, the real hosts and an experiment all work, and the browser reports no violation.
test.use({ bypassCSP: false });

test('should run the model, real hosts and an experiment with no CSP violation', async ({ page }) => {
  const violations: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => ((window as unknown as { __csp: string[] }).__csp ??= []).push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.goto('./?preset=protocol-attacks&play=1');
  await expect(narration(page)).toBeVisible({ timeout: 60_000 });
  await openTab(page, 'Security lab');
  await page.getByRole('button', { name: 'Run with real hosts' }).click();
  await expect(page.getByTestId('verification')).toContainText('Memory verified', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Experiments', exact: true }).click();
  await page.getByLabel('Finding from a paper').selectOption('chen-context');
  await expect(page.getByRole('status').filter({ hasText: /runs in/ })).toBeVisible({ timeout: 60_000 });
  const seen = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
  expect([...violations, ...seen]).toEqual([]);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-eval');
});
