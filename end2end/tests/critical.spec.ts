import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

// The critical-but-unfunded list (/funding/critical) against the demo data
// set, whose criticality `pacatlas demo` computes: projects by score, the
// ecosystem and domain filters as a plain GET form, the CSV with the same
// filters, how the score is computed, French, and axe.

async function violations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

const rows = (page: Page) => page.locator('table.crit-list tbody tr');

async function theListAndItsFilters(page: Page) {
  await page.goto('/funding/critical');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Critical but unfunded');
  await expect(page.getByRole('status')).toContainText('on the list');
  await expect(rows(page).first()).toBeVisible();
  await expect(rows(page).first().locator('td').first()).toHaveText('1');
  const scores = await rows(page).locator('td:last-child').allTextContents();
  const numbers = scores.map((s) => Number(s.replace(/[^0-9.]/g, '')));
  expect(numbers.length).toBeGreaterThan(1);
  for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBeLessThanOrEqual(numbers[i - 1]);
  await expect(page.getByRole('heading', { name: 'How the score is computed' })).toBeVisible();

  // Filter by ecosystem with the form: every project left is packaged in Spack.
  await page.getByLabel('Ecosystem').selectOption('spack');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/\/funding\/critical\?.*ecosystem=spack/);
  const count = await rows(page).count();
  expect(count).toBeGreaterThan(0);
  for (const cell of await rows(page).locator('td:nth-child(3)').allTextContents()) expect(cell).toContain('Spack');

  // The CSV keeps the filters and holds the same projects in the same order.
  const csvLink = page.getByRole('link', { name: 'Download as CSV' });
  await expect(csvLink).toHaveAttribute('href', /\/funding\/critical\.csv\?ecosystem=spack/);
  const csv = await page.request.get((await csvLink.getAttribute('href'))!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  const lines = (await csv.text()).trim().split('\n');
  expect(lines[0]).toContain('rank,overall_rank,project');
  const firstName = (await rows(page).first().locator('th').locator('a, span').first().textContent())!.trim();
  expect(lines[1].split(',')[3]).toBe(firstName);

  // A domain (tag) from the filter's choices narrows the list further.
  const tags = await page.getByLabel('Domain (tag)').locator('option').allTextContents();
  expect(tags.length).toBeGreaterThan(1);
  await page.getByLabel('Domain (tag)').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/tag=/);
  expect(await rows(page).count()).toBeLessThanOrEqual(count);
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the list, its filters and its CSV', async ({ page }) => {
    await theListAndItsFilters(page);
  });
  test('sorting by dependents', async ({ page }) => {
    await page.goto('/funding/critical?sort=dependents');
    const all = await rows(page).locator('td:nth-child(5)').allTextContents();
    const numbers = all.map((s) => Number(s.replace(/[^0-9]/g, '')));
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBeLessThanOrEqual(numbers[i - 1]);
  });
  test('the funding page leads to the list', async ({ page }) => {
    await page.goto('/funding');
    await page.getByRole('link', { name: /^Critical but unfunded/ }).click();
    await expect(page).toHaveURL(/\/funding\/critical$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Critical but unfunded');
  });
  test('out-of-range parameters still give the page', async ({ page }) => {
    const response = await page.goto('/funding/critical?page=999999&ecosystem=debian&sort=nonsense');
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Critical but unfunded');
  });
});

test.describe('with JavaScript', () => {
  test('the list, its filters and its CSV', async ({ page }) => {
    await page.goto('/funding/critical');
    await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
    await theListAndItsFilters(page);
  });
});

test.describe('in French, without JavaScript', () => {
  test.use({ javaScriptEnabled: false, locale: 'fr-FR' });
  test('the list is in French', async ({ page }) => {
    await page.goto('/funding/critical');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Critiques mais non financés');
    await expect(page.getByRole('heading', { name: 'Comment le score est calculé' })).toBeVisible();
    await expect(page.getByLabel('Écosystème')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Télécharger en CSV' })).toBeVisible();
  });
});

for (const locale of ['en-GB', 'fr-FR']) {
  for (const scheme of ['light', 'dark'] as const) {
    test.describe(`${scheme} scheme, ${locale}`, () => {
      test.use({ colorScheme: scheme, locale });
      for (const path of ['/funding/critical', '/funding/critical?ecosystem=guix&sort=dependents']) {
        test(`${path} has no accessibility violations`, async ({ page }) => {
          await page.goto(path);
          await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
          expect(await violations(page)).toEqual([]);
        });
      }
    });
  }
}
