import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

// Maintainers (/maintainers, /maintainers/{forge}/{handle}, the package
// page's maintainers, the Atom feed), against the demo data set: the Spack
// packages' real maintainers (balay's petsc fails in the demo CI) and a
// made-up claimant, "Demo maintainer" (github/pacatlas-demo), whose claim on
// the hdf5 project was approved by `pacatlas demo`.

async function violations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

async function fromPackageToMaintainer(page: Page) {
  await page.goto('/packages/guix/guix/hdf5');
  await page.getByRole('link', { name: 'Demo maintainer (pacatlas-demo)' }).click();
  await expect(page).toHaveURL(/\/maintainers\/github\/pacatlas-demo$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demo maintainer');
  const counts = page.getByRole('list', { name: 'Health of the packages' });
  await expect(counts).toContainText('failing in CI');
  await expect(counts).toContainText('outdated');
  const guix = page.locator('table.maint-packages', { has: page.locator('caption', { hasText: 'guix (guix)' }) });
  const hdf5 = guix.getByRole('row', { name: /hdf5/ });
  await expect(hdf5).toContainText('approved claim');
  await expect(hdf5).toContainText('failing');
  await expect(hdf5).toContainText('newer version:');
}

async function feedIsLinked(page: Page) {
  const alternate = page.locator('link[rel="alternate"][type="application/atom+xml"]');
  await expect(alternate).toHaveAttribute('href', '/maintainers/github/pacatlas-demo/feed.atom');
  const feedLink = page.getByRole('link', { name: 'Atom feed of what needs attention' });
  await expect(feedLink).toHaveAttribute('href', '/maintainers/github/pacatlas-demo/feed.atom');
  const feed = await page.request.get('/maintainers/github/pacatlas-demo/feed.atom');
  expect(feed.headers()['content-type']).toContain('application/atom+xml');
  const xml = await feed.text();
  expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
  expect(xml).toContain('urn:pacatlas:maintainer:github:pacatlas-demo:ci-failure:guix/guix/hdf5');
}

async function searchTheIndex(page: Page) {
  await page.goto('/maintainers');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Maintainers');
  await page.getByLabel('Handle or name').fill('balay');
  await page.getByRole('button', { name: 'Search', exact: true }).last().click();
  await expect(page).toHaveURL(/\/maintainers\?q=balay/);
  await expect(page.getByRole('status')).toHaveText('1 maintainer');
  await page.locator('table.maint-index').getByRole('link', { name: 'balay' }).click();
  await expect(page).toHaveURL(/\/maintainers\/github\/balay$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('balay');
  await page.getByRole('link', { name: 'health (worst first)' }).click();
  await expect(page).toHaveURL(/sort=health/);
  const first = page.locator('table.maint-packages', { has: page.locator('caption', { hasText: 'builtin (spack)' }) }).locator('tbody tr').first();
  await expect(first).toContainText('petsc');
  await expect(first).toContainText('failing');
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('from a package page to its claimant, and the feed', async ({ page }) => {
    await fromPackageToMaintainer(page);
    await feedIsLinked(page);
  });
  test('a declared maintainer links from the package page', async ({ page }) => {
    await page.goto('/packages/spack/builtin/hdf5');
    await page.getByRole('link', { name: 'lrknox', exact: true }).click();
    await expect(page).toHaveURL(/\/maintainers\/github\/lrknox$/);
    await expect(page.getByRole('link', { name: 'Profile on GitHub' })).toHaveAttribute('href', 'https://github.com/lrknox');
  });
  test('the index is searched with a plain form', async ({ page }) => {
    await searchTheIndex(page);
  });
  test('an unknown handle is a 404 page', async ({ page }) => {
    const response = await page.goto('/maintainers/github/nobody-at-all');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('No such maintainer');
  });
});

test.describe('with JavaScript', () => {
  test('from a package page to its claimant, and the index search', async ({ page }) => {
    await page.goto('/maintainers');
    await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
    await fromPackageToMaintainer(page);
    await feedIsLinked(page);
    await searchTheIndex(page);
  });
  test('the header leads to the maintainers', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Maintainers' }).click();
    await expect(page).toHaveURL(/\/maintainers$/);
  });
});

test.describe('in French, without JavaScript', () => {
  test.use({ javaScriptEnabled: false, locale: 'fr-FR' });
  test('the maintainer pages are in French', async ({ page }) => {
    await page.goto('/maintainers/github/pacatlas-demo');
    await expect(page.getByRole('heading', { name: 'Paquets', exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Flux Atom de ce qui demande attention' })).toBeVisible();
    await page.goto('/maintainers');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mainteneurs');
    await expect(page.getByLabel('Identifiant ou nom')).toBeVisible();
  });
});

const pages = [
  ['index', '/maintainers'],
  ['claimant', '/maintainers/github/pacatlas-demo'],
  ['declared maintainer by health', '/maintainers/github/balay?sort=health'],
  ['package maintainers', '/packages/guix/guix/hdf5'],
];
for (const locale of ['en-GB', 'fr-FR']) {
  for (const scheme of ['light', 'dark'] as const) {
    test.describe(`${scheme} scheme, ${locale}`, () => {
      test.use({ colorScheme: scheme, locale });
      for (const [name, path] of pages) {
        test(`${name} page has no accessibility violations`, async ({ page }) => {
          await page.goto(path);
          await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
          expect(await violations(page)).toEqual([]);
        });
      }
    });
  }
}
