import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

// Automated accessibility checks (axe-core, WCAG 2.1 A and AA: labels,
// landmarks, names, contrast…) on the main pages, in light and dark schemes.
const pages = [
  ['home', '/'],
  ['search', '/search?q=hdf5'],
  ['package', '/packages/spack/builtin/hdf5'],
  ['channels', '/packages'],
  ['channel', '/channels/spack/builtin'],
  ['not found', '/no/such/page'],
  ['CI status', '/ci'],
  ['build history', '/packages/spack/builtin/hdf5/builds'],
];

async function violations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} scheme`, () => {
    test.use({ colorScheme: scheme });
    for (const [name, path] of pages) {
      test(`${name} page has no accessibility violations`, async ({ page }) => {
        await page.goto(path);
        await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
        expect(await violations(page)).toEqual([]);
      });
    }
  });
}
