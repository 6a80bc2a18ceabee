import { test, expect } from '@playwright/test';

// Runs against the demo data set (loaded by `make test` into the e2e database).

test('browse from the channel list to a package page and across ecosystems', async ({ page }) => {
  await page.goto('/packages');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Packages by channel');
  await page.getByRole('link', { name: 'builtin', exact: true }).click();
  await expect(page).toHaveURL(/\/channels\/spack\/builtin$/);
  await expect(page.getByRole('heading', { name: 'Ingest history' })).toBeVisible();

  await page.goto('/packages/spack/builtin/hdf5');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('hdf5');
  await expect(page).toHaveTitle(/^hdf5 .* · Pacatlas$/);
  await expect(page.locator('.install code')).toHaveText('spack install hdf5');
  await expect(page.getByRole('heading', { name: /^Versions \(\d+\)$/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Dependencies \(\d+\)$/ })).toBeVisible();

  // Hydrated: the copy button exists only with JavaScript, and answers a click.
  const copy = page.getByRole('button', { name: 'Copy the install command' });
  await expect(copy).toBeVisible();
  await copy.click();
  await expect(copy).toHaveText('Copied');

  // The same software in Guix.
  const guix = page.locator('.also-in a[href="/packages/guix/guix/hdf5"]');
  await expect(guix).toBeVisible();
  await guix.click();
  await expect(page).toHaveURL(/\/packages\/guix\/guix\/hdf5$/);
  await expect(page.locator('.install code')).toHaveText('guix install hdf5');
  await page.screenshot({ path: test.info().outputPath('package.png'), fullPage: true });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the package page is complete and the copy button is absent', async ({ page }) => {
    const response = await page.goto('/packages/spack/builtin/py-numpy');
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('py-numpy');
    await expect(page.locator('.install code')).toHaveText('spack install py-numpy');
    await expect(page.getByRole('button', { name: 'Copy the install command' })).toHaveCount(0);
    const missing = await page.goto('/packages/spack/builtin/no-such-package');
    expect(missing?.status()).toBe(404);
  });
});
