import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

// Archival coverage (/archival) and a package page's sources, against the
// demo data set (`pacatlas demo` writes made-up archival results labelled
// demo, some missing: Guix hdf5 has one source archived and one missing).

async function violations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

test('the header link leads to the archival page', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Archival' }).click();
  await expect(page).toHaveURL(/\/archival$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Archival coverage');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('/archival shows coverage, its trend, forges and the missing sources', async ({ page }) => {
    const response = await page.goto('/archival');
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Archival coverage');
    await expect(page.getByRole('note')).toContainText('Demo data');
    const coverage = page.locator('table.archival-coverage');
    await expect(coverage.getByRole('rowheader', { name: /guix \(guix\)/ })).toBeVisible();
    await expect(coverage.getByRole('rowheader', { name: /builtin \(spack\)/ })).toBeVisible();
    // The trend: an SVG image with a name, and its numbers as a table.
    await expect(page.getByRole('img', { name: 'Coverage over time' })).toBeVisible();
    await page.getByText('The chart\'s numbers as a table').click();
    await expect(page.locator('details.chart-data table tbody tr').first()).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Forge concentration' })).toBeVisible();
    await expect(page.locator('table.archival-spof').getByRole('rowheader', { name: 'github.com' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Most depended-upon packages without a known copy' })).toBeVisible();

    // The missing sources, filtered with the GET form.
    await page.locator('select[name="channel"]').selectOption('guix/guix');
    await page.locator('select[name="status"]').selectOption('missing');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page).toHaveURL(/channel=guix%2Fguix/);
    await expect(page).toHaveURL(/status=missing/);
    const rows = page.locator('table.archival-missing tbody tr');
    await expect(rows.first()).toBeVisible();
    const statuses = await rows.locator('.archival').allTextContents();
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(['missing']));
    await expect(rows.getByRole('link', { name: 'hdf5', exact: true })).toBeVisible();
    const csv = page.getByRole('link', { name: 'Download as CSV' });
    await expect(csv).toHaveAttribute('href', '/archival/missing.csv?channel=guix%2Fguix&status=missing');
    const download = await page.request.get('/archival/missing.csv?channel=guix%2Fguix&status=missing');
    expect(download.headers()['content-type']).toContain('text/csv');
    expect((await download.text()).split('\n')[0]).toContain('ecosystem,channel,package');
  });

  test("a package page shows each source's archival status and SWHID", async ({ page }) => {
    await page.goto('/packages/guix/guix/hdf5');
    const sources = page.locator('.archival-source');
    await expect(sources.filter({ hasText: 'archived' }).first()).toBeVisible();
    await expect(sources.filter({ hasText: 'missing' }).first()).toBeVisible();
    const swhid = sources.locator('a.swhid').first();
    await expect(swhid).toHaveAttribute('href', /^https:\/\/archive\.softwareheritage\.org\/swh:1:(dir|cnt|rev|snp):[0-9a-f]{40}$/);
    await expect(sources.first()).toContainText('demo');
  });

  test('search narrows to packages by archival status', async ({ page }) => {
    await page.goto('/search?q=');
    await page.locator('.facet a', { hasText: 'Not archived' }).click();
    await expect(page).toHaveURL(/archival=not/);
    await expect(page.locator('.facet a.selected', { hasText: 'Not archived' })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('.facet a', { hasText: 'Every source archived' })).toHaveCount(0);
  });
});

test.describe('in French, without JavaScript', () => {
  test.use({ javaScriptEnabled: false, locale: 'fr-FR' });
  test('the archival page is in French', async ({ page }) => {
    await page.goto('/archival');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText("Couverture de l'archivage");
    await expect(page.getByRole('heading', { name: 'Concentration des forges' })).toBeVisible();
  });
});

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} scheme`, () => {
    test.use({ colorScheme: scheme });
    for (const [name, path] of [['archival', '/archival'], ['package sources', '/packages/guix/guix/hdf5']]) {
      test(`${name} page has no accessibility violations`, async ({ page }) => {
        await page.goto(path);
        await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
        await page.locator('details.chart-data').evaluateAll((all) => all.forEach((d) => d.setAttribute('open', '')));
        expect(await violations(page)).toEqual([]);
      });
    }
  });
}
