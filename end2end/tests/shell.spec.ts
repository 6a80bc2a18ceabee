import { test, expect } from '@playwright/test';

test('home page shows the shell and hydrates', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Anything the Content Security Policy blocks is recorded (and fails the test).
  await page.addInitScript(() => {
    (window as any).__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as any).__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto('/');

  // The shell: landmarks, search form, navigation, footer.
  await expect(page).toHaveTitle('Pacatlas');
  const search = page.getByRole('search').first();
  await expect(search).toBeVisible();
  await expect(page.getByLabel('Search packages').first()).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const label of ['Packages', 'Matrix', 'CI', 'Archival', 'Funding']) {
    await expect(nav.getByRole('link', { name: label, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('contentinfo')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('The atlas of HPC packages');

  // Hydration ran: the root element is marked, and "/" (a client-only
  // keyboard shortcut) moves the focus into the header's search box.
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('/');
  await expect(page.locator('#site-search')).toBeFocused();
  await page.keyboard.type('petsc');
  await expect(page.locator('#site-search')).toHaveValue('petsc');

  await page.screenshot({ path: test.info().outputPath('home.png'), fullPage: true });
  expect(errors).toEqual([]);
  expect(await page.evaluate(() => (window as any).__csp)).toEqual([]);
});

test('the search form works as a plain GET form', async ({ page }) => {
  await page.goto('/');
  await page.locator('#hero-q').fill('hdf5');
  await page.locator('#hero-q').press('Enter');
  await expect(page).toHaveURL(/\/search\?q=hdf5$/);
});

test('a missing page is a 404 page inside the shell', async ({ page }) => {
  const response = await page.goto('/no/such/page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
});
