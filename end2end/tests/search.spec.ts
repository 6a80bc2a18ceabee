import { test, expect } from '@playwright/test';

// Runs against the demo data set (loaded by `make test` into the e2e database).

test('results appear as you type, without a reload, and the URL follows', async ({ page }) => {
  await page.goto('/search');
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  // A marker on the window survives client-side navigation, not a reload.
  await page.evaluate(() => ((window as any).__noReload = true));
  const box = page.locator('#search-q');
  await box.click();
  await box.pressSequentially('numpy', { delay: 40 });
  await expect(page).toHaveURL(/\/search\?q=numpy/);
  const first = page.locator('.result-link').first();
  await expect(first).toHaveText(/^(py-numpy|python-numpy|python\d*Packages\.numpy)$/);
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);

  // Keyboard: arrow down from the box to the results, Enter opens one.
  await box.focus();
  await page.keyboard.press('ArrowDown');
  await expect(first).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('.result-link').nth(1)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(first).toBeFocused();
  const name = await first.textContent();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name!.trim());

  // Back returns to the search.
  await page.goBack();
  await expect(page).toHaveURL(/\/search\?q=numpy/);
  await page.screenshot({ path: test.info().outputPath('search.png'), fullPage: true });
});

test('"/" focuses the search box and facets filter', async ({ page }) => {
  await page.goto('/search?q=hdf5');
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await page.locator('.summary').click();
  await page.keyboard.press('/');
  await expect(page.locator('#search-q')).toBeFocused();
  await page.locator('.facet a', { hasText: 'guix' }).first().click();
  await expect(page).toHaveURL(/ecosystem=guix/);
  await expect(page.locator('.result .badge.eco-spack')).toHaveCount(0);
  await expect(page.locator('.result .badge.eco-guix').first()).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the search form, results, facets and pages work as plain HTML', async ({ page }) => {
    await page.goto('/');
    await page.locator('#hero-q').fill('mpi');
    await page.locator('#hero-q').press('Enter');
    await expect(page).toHaveURL(/\/search\?q=mpi$/);
    const names = await page.locator('.result-link').allTextContents();
    expect(names.slice(0, 5)).toEqual(expect.arrayContaining(['openmpi', 'mpich']));
    await page.locator('.facet a', { hasText: 'spack' }).first().click();
    await expect(page).toHaveURL(/ecosystem=spack/);
    await page.locator('.result-link').first().click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  });
});
