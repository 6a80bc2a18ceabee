import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

// CI status as a visitor uses it, on the demo data set (`pacatlas demo`):
// /ci with its success-rate chart, a service's page, a package's Builds
// section and its history with filters; with and without JavaScript.

async function hydrated(page: Page, js: boolean) {
  if (js) await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

for (const js of [true, false]) {
  test.describe(js ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled: js });

    test('/ci shows every service, the chart with its figures, and leads to one service', async ({ page }) => {
      const response = await page.goto('/ci');
      expect(response?.status()).toBe(200);
      await hydrated(page, js);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('CI status');
      const chart = page.getByRole('img', { name: /Success rate per week/ });
      await expect(chart).toBeVisible();
      // The text alternative: one sentence per service and a table of figures.
      await expect(page.locator('.trend-latest li')).toHaveCount(3);
      await page.getByText("The chart's figures").click();
      const figures = page.locator('table.trend-table');
      await expect(figures).toBeVisible();
      await expect(figures.locator('thead th')).toHaveText(['Week of', 'demo-cuirass', 'demo-hydra', 'demo-gitlab']);
      await expect(figures.locator('tbody tr')).toHaveCount(12);
      // Failing the longest: gromacs on aarch64-linux (timed out, then failed).
      const longest = page.locator('section', { has: page.getByRole('heading', { name: 'Failing the longest' }) });
      await expect(longest.locator('a[href="/packages/guix/guix/gromacs"]')).toBeVisible();

      await page.getByRole('link', { name: 'demo-cuirass', exact: true }).click();
      await expect(page).toHaveURL(/\/ci\/demo-cuirass$/);
      await hydrated(page, js);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('CI service demo-cuirass');
      await expect(page.locator('table.ci-services tbody tr')).toHaveCount(1);
      await expect(page.locator('.trend-latest li')).toHaveCount(1);
      await page.getByRole('link', { name: 'All CI services' }).click();
      await expect(page).toHaveURL(/\/ci$/);
    });

    test("a package's Builds section leads to its history, filtered by status", async ({ page }) => {
      await page.goto('/packages/guix/guix/hdf5');
      await hydrated(page, js);
      const builds = page.locator('section.builds');
      await expect(builds.getByRole('heading', { name: 'Builds' })).toBeVisible();
      // hdf5 on x86_64-linux: succeeded twice, then failed: a new failure.
      const x86 = builds.locator('tr', { hasText: 'x86_64-linux' });
      await expect(x86).toContainText('Failed');
      await expect(x86).toContainText('New failure');
      await expect(builds.getByText(/Demo data/)).toBeVisible();
      await builds.getByRole('link', { name: 'Full build history' }).click();
      await expect(page).toHaveURL(/\/packages\/guix\/guix\/hdf5\/builds$/);
      await hydrated(page, js);
      // The demo's builds and ten weeks of made-up history before them, on two systems.
      await expect(page.locator('table.builds tbody tr')).toHaveCount(24);
      await page.getByLabel('Status').selectOption('succeeded');
      await page.getByRole('button', { name: 'Filter' }).click();
      await expect(page).toHaveURL(/status=succeeded/);
      const statuses = page.locator('table.builds tbody tr td:nth-child(3)');
      expect(await statuses.count()).toBeGreaterThanOrEqual(3);
      expect(new Set(await statuses.allTextContents())).toEqual(new Set(['Succeeded']));
    });

    test('an unknown service is a 404 page that leads back', async ({ page }) => {
      const response = await page.goto('/ci/no-such-service');
      expect(response?.status()).toBe(404);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('No such CI service');
      await expect(page.getByRole('link', { name: 'All CI services' })).toBeVisible();
    });
  });
}

test('a service page has no accessibility violations', async ({ page }) => {
  await page.goto('/ci/demo-gitlab');
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
});
