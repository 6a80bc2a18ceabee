import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

// Funding (#14): /funding with the demo's made-up funders (labelled demo,
// amounts invented), a funder's page, and the admin forms through the
// development login as demo-moderator: create a funder and a sponsorship,
// edit it, see its history, end it, then delete both, leaving the demo as
// it was. With and without JavaScript, in French, axe clean.

async function violations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

async function logIn(page: Page, handle: string) {
  await page.goto('/login');
  await page.getByLabel('GitHub handle').fill(handle);
  await page.getByRole('button', { name: 'Log in as this handle' }).click();
  await expect(page).toHaveURL(/\/account/);
}

async function overview(page: Page) {
  await page.goto('/funding');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Funding');
  await expect(page.getByRole('note')).toContainText('made up');
  await expect(page.getByRole('heading', { name: 'Totals per funder and currency' })).toBeVisible();
  await expect(page.locator('svg[role="img"]').first()).toBeVisible();
  await expect(page.getByRole('table', { name: /Sponsorships started each year, in EUR/ })).toBeVisible();
  await expect(page.getByText('demo, invented').first()).toBeVisible();
  // Filters are a plain GET form.
  await page.locator('#funding-currency').selectOption('USD');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/currency=USD/);
  await expect(page.getByRole('table', { name: /in EUR/ })).toHaveCount(0);
  await page.getByRole('link', { name: 'Demo Foundation for HPC Software' }).first().click();
  await expect(page).toHaveURL(/\/funders\/demo-hpc-foundation$/);
  await expect(page.getByRole('heading', { name: 'Active sponsorships' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Ended sponsorships' })).toBeVisible();
}

async function adminFlow(page: Page, suffix: string) {
  await logIn(page, 'demo-moderator');
  // Moderators reach the funding forms from their moderation page.
  await page.goto('/moderation');
  await page.getByRole('link', { name: 'Funders and sponsorships: add, edit, import from CSV' }).click();
  await expect(page).toHaveURL(/\/admin\/funding$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Funding: funders and sponsorships');
  const stamp = Date.now().toString(36);
  const slug = `e2e-${suffix}-${stamp}`;
  const name = `E2E funder ${suffix} ${stamp}`;
  await page.getByLabel('Slug (lower-case letters, digits, dashes)').fill(slug);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Kind', { exact: true }).selectOption('company');
  await page.getByRole('button', { name: 'Save' }).first().click();
  await expect(page.getByRole('status')).toContainText('Funder created.');

  // A CSV file chosen in the import form (multipart), as a spreadsheet saves it.
  const csv = `\ufefffunder,target,amount,currency,in_kind,starts_on\n${slug},infrastructure:other:e2e-mirror-${suffix},10,EUR,,2025-02-01\n`;
  await page.getByLabel('CSV file').setInputFiles({ name: 'sponsors.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('status')).toContainText('Sponsorships imported.');
  await page.locator('tr', { hasText: name }).filter({ hasText: `e2e-mirror-${suffix}` })
    .getByRole('button', { name: /^Delete/ }).click();
  await expect(page.getByRole('status')).toContainText('Sponsorship deleted.');

  const form = page.locator('#sponsorship-form');
  await form.getByLabel('Funder').selectOption(slug);
  await form.getByLabel('What it funds').fill('infrastructure:software-heritage');
  await form.getByLabel('Amount for the whole period (such as 15000.50)').fill('1234.5');
  await form.getByLabel('Currency (ISO 4217, such as EUR)').fill('CHF');
  await form.getByLabel('Starts on').fill('2025-01-01');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toContainText('Sponsorship created.');

  const row = page.locator('tr', { hasText: name }).filter({ hasText: 'software-heritage' });
  await row.getByRole('link', { name: /^Edit E2E funder/ }).click();
  await page.locator('#sponsorship-form').getByLabel('Amount for the whole period (such as 15000.50)').fill('2000');
  await page.locator('#sponsorship-form').getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toContainText('Sponsorship saved');

  await page.goto(`/funders/${slug}`);
  await expect(page.getByText('2,000.00 CHF').first()).toBeVisible();
  await page.getByRole('link', { name: /history \(1 change\)/ }).click();
  await expect(page.getByText('1,234.50 CHF').first()).toBeVisible();

  await page.goto('/admin/funding');
  const again = page.locator('tr', { hasText: name }).filter({ hasText: 'software-heritage' });
  await again.getByRole('button', { name: 'End' }).click();
  await expect(page.getByRole('status')).toContainText('Sponsorship ended.');
  await page.locator('tr', { hasText: name }).filter({ hasText: 'software-heritage' })
    .getByRole('button', { name: /^Delete/ }).click();
  await expect(page.getByRole('status')).toContainText('Sponsorship deleted.');
  await page.getByRole('button', { name: `Delete ${name}`, exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Funder deleted.');
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the overview, its filters and a funder', async ({ page }) => {
    await overview(page);
  });
  test('a moderator creates, edits, ends and deletes', async ({ page }) => {
    await adminFlow(page, 'nojs');
  });
  test('an unknown funder is a 404', async ({ page }) => {
    const answer = await page.goto('/funders/nobody-at-all');
    expect(answer?.status()).toBe(404);
  });
});

test.describe('with JavaScript', () => {
  test('the overview, its filters and a funder', async ({ page }) => {
    await overview(page);
  });
  test('a moderator creates, edits, ends and deletes', async ({ page }) => {
    await adminFlow(page, 'js');
  });
});

test.describe('in French, without JavaScript', () => {
  test.use({ javaScriptEnabled: false, locale: 'fr-FR' });
  test('the funding page is in French', async ({ page }) => {
    await page.goto('/funding');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Financements');
    await expect(page.getByText('démo, inventé').first()).toBeVisible();
  });
});

const pages = [
  ['overview', '/funding'],
  ['funder', '/funders/demo-eu-programme'],
  ['package funded', '/packages/spack/builtin/petsc'],
];
for (const locale of ['en-GB', 'fr-FR']) {
  test.describe(`axe, ${locale}`, () => {
    test.use({ locale });
    for (const [name, path] of pages) {
      test(`${name} page has no accessibility violations`, async ({ page }) => {
        await page.goto(path);
        await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
        expect(await violations(page)).toEqual([]);
      });
    }
  });
}
