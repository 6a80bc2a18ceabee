import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

// English and French: the header's switch (a plain form, with or without
// JavaScript), the choice kept across reloads, Accept-Language when nothing
// was chosen, hydration that never flips the text, and axe clean in French.

async function switchTo(page: Page, name: 'Français' | 'English') {
  await page.getByRole('button', { name, exact: true }).click();
  await page.waitForLoadState('load');
}

async function chooseAndReload(page: Page, hydrated: boolean) {
  await page.goto('/packages');
  if (hydrated) await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Packages by channel');

  await switchTo(page, 'Français');
  await expect(page).toHaveURL(/\/packages$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Paquets par canal');
  await expect(page.getByRole('navigation', { name: 'Principale' })).toBeVisible();

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Paquets par canal');

  await switchTo(page, 'English');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Packages by channel');
}

test('the switch changes the language and a reload keeps it', async ({ page }) => {
  await chooseAndReload(page, true);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the switch works and a reload keeps the choice', async ({ page }) => {
    await chooseAndReload(page, false);
  });
});

test.describe('a French browser', () => {
  test.use({ locale: 'fr-FR' });

  test('gets French, and hydration keeps it', async ({ page }) => {
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('/search?q=hdf5');
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
    await expect(page.getByRole('button', { name: 'Rechercher', exact: true }).first()).toBeVisible();
    await expect(page.locator('#results-summary')).toContainText('paquet');
    // Client-side navigation renders French too.
    await page.getByRole('navigation', { name: 'Principale' }).getByRole('link', { name: 'Paquets', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Paquets par canal');
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    // Elapsed times are written by the browser, in French.
    await expect(page.locator('.ago').first()).toHaveText(/^ \((il y a \d|à l’instant)/);
    await expect(page.locator('time').first()).toHaveText(/^\d{1,2} \S+ \d{4}, \d\d:\d\d UTC$/);
    expect(errors).toEqual([]);
  });

  test('an explicit choice beats the browser language', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('L’atlas des paquets HPC');
    await switchTo(page, 'English');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('The atlas of HPC packages');
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  });

  const pages = [
    ['home', '/'],
    ['search', '/search?q=hdf5'],
    ['package', '/packages/spack/builtin/hdf5'],
    ['channels', '/packages'],
    ['channel', '/channels/spack/builtin'],
    ['not found', '/no/such/page'],
  ];
  for (const [name, path] of pages) {
    test(`${name} page in French has no accessibility violations`, async ({ page }) => {
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
      await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      const found = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
      expect(found).toEqual([]);
    });
  }
});
