import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

// The hardware-support matrix and the sites' pages, on the demo data set
// (`pacatlas demo`: real public French machines, made-up attestations).

async function violations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

test.describe('hardware-support matrix', () => {
  test.use({ colorScheme: 'light' });

  test('the header link leads to the matrix, with its legend, sites and machines', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Matrix' }).click();
    await expect(page).toHaveURL(/\/matrix$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Hardware-support matrix' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Legend' })).toBeVisible();
    const table = page.locator('table.matrix');
    await expect(table.getByRole('columnheader', { name: 'zen4' })).toBeVisible();
    await expect(table.getByRole('columnheader', { name: 'adastra/genoa' })).toBeVisible();
    await expect(table.getByRole('columnheader', { name: 'gfx90a' })).toBeVisible();
  });

  test('filters narrow the rows, and the export link carries them', async ({ page }) => {
    await page.goto('/matrix');
    await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
    await page.getByLabel('Channel').selectOption('spack/builtin');
    await page.getByLabel('Name').fill('hdf5');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page).toHaveURL(/channel=spack%2Fbuiltin|channel=spack\/builtin/);
    const rows = page.locator('table.matrix tbody tr');
    await expect(rows.first()).toContainText('hdf5');
    for (const name of await rows.locator('th a').allTextContents()) {
      expect(name).toContain('hdf5');
    }
    // The demo's made-up attestation at Adastra (Genoa) is shown as attested, and labelled demo.
    const hdf5 = rows.filter({ has: page.getByRole('link', { name: 'hdf5', exact: true }) });
    await expect(hdf5.locator('td[data-cell="attested:works"]').first()).toBeVisible();
    await expect(page.getByRole('note').first()).toContainText('demo');
    const csv = page.getByRole('link', { name: /Export as CSV/ });
    const href = await csv.getAttribute('href');
    expect(href).toContain('format=csv');
    expect(href).toContain('q=hdf5');
    const response = await page.request.get(href!);
    expect(response.status()).toBe(200);
    const lines = (await response.text()).trim().split('\n');
    expect(lines[0]).toContain('microarch:zen4');
    expect(lines.slice(1).every((l) => l.includes('hdf5'))).toBe(true);
  });

  test('cells say what they mean in words for screen readers', async ({ page }) => {
    await page.goto('/matrix?channel=spack/builtin&q=hdf5');
    const cell = page.locator('td[data-cell="attested:works"]').first();
    await expect(cell.locator('.visually-hidden')).toContainText('works (attested)');
    await expect(cell.locator('.visually-hidden')).toContainText('cines/adastra');
  });

  test('cells are reached with Tab and moved between with the arrow keys', async ({ page }) => {
    await page.goto('/matrix');
    await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
    const grid = page.getByRole('grid');
    await expect(grid.locator('td[tabindex="0"]')).toHaveCount(1);
    const rows = grid.locator('tbody tr');
    const cell = (r: number, c: number) => rows.nth(r).locator('td').nth(c);
    await cell(0, 0).focus();
    await expect(cell(0, 0)).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(cell(0, 1)).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(cell(1, 1)).toBeFocused();
    // The focused cell is now the one in the tab order, and says its meaning.
    await expect(cell(1, 1)).toHaveAttribute('tabindex', '0');
    await expect(cell(0, 0)).toHaveAttribute('tabindex', '-1');
    await expect(grid.locator('td[tabindex="0"]')).toHaveCount(1);
    await expect(cell(1, 1).locator('.visually-hidden')).not.toBeEmpty();
    await page.keyboard.press('End');
    const last = (await rows.nth(1).locator('td').count()) - 1;
    await expect(cell(1, last)).toBeFocused();
    await page.keyboard.press('Home');
    await expect(cell(1, 0)).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await expect(cell(1, 0)).toBeFocused();
    await page.keyboard.press('Control+Home');
    await expect(cell(0, 0)).toBeFocused();
  });

  test('the site page lists its machines and its public matrix', async ({ page }) => {
    await page.goto('/sites');
    await page.getByRole('link', { name: 'CINES' }).click();
    await expect(page).toHaveURL(/\/sites\/cines$/);
    await expect(page.getByRole('heading', { level: 1, name: 'CINES' })).toBeVisible();
    await expect(page.getByRole('table', { name: /Partitions/ })).toContainText('AMD EPYC 9654');
    await expect(page.getByRole('table', { name: /Partitions/ })).toContainText('gfx90a');
    const matrix = page.locator('table.matrix');
    await expect(matrix.getByRole('columnheader', { name: 'adastra/mi250' })).toBeVisible();
    await expect(matrix.getByRole('columnheader', { name: 'dahu/main' })).toHaveCount(0);
    await expect(page.getByRole('link', { name: /Export as CSV/ })).toHaveAttribute('href', /site=cines/);
    await expect(page.locator('img[src^="/badge/site/cines/"]')).toBeVisible();
  });

  for (const [name, path] of [
    ['matrix', '/matrix'],
    ['sites', '/sites'],
    ['site', '/sites/cines'],
  ]) {
    test(`${name} page has no accessibility violations`, async ({ page }) => {
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
      expect(await violations(page)).toEqual([]);
    });
  }
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false, colorScheme: 'light' });

  test('the matrix filters and pages work as plain HTML', async ({ page }) => {
    await page.goto('/matrix');
    await page.getByLabel('Channel').selectOption('guix/guix');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page).toHaveURL(/channel=guix/);
    const channels = await page.locator('table.matrix tbody th .muted').allTextContents();
    expect(channels.length).toBeGreaterThan(0);
    expect(channels.every((c) => c === 'guix/guix')).toBe(true);
    const next = page.getByRole('link', { name: 'Next page' });
    if (await next.count()) {
      await next.click();
      await expect(page).toHaveURL(/page=2/);
      await expect(page.locator('table.matrix tbody tr').first()).toBeVisible();
    }
  });

  test('a site page is readable', async ({ page }) => {
    await page.goto('/sites/gricad');
    await expect(page.getByRole('heading', { level: 1, name: 'GRICAD' })).toBeVisible();
    await expect(page.locator('table.matrix td[data-cell="attested:works"]').first()).toBeVisible();
  });
});
