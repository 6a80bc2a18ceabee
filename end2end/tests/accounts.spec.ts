import { test, expect, Page, Browser } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

// Accounts and claims in the browser, through the development login that
// `make test` and `make run` turn on (a portal on 127.0.0.1 only): a
// declared Spack maintainer's claim is verified at once; anyone else's waits
// for a moderator (demo-moderator, from `pacatlas demo`), who approves it
// with a reason the claimant then reads on their account page. Both
// claimants step down at the end, leaving the demo data as it was.

async function violations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

async function logIn(page: Page, handle: string) {
  await page.goto('/login');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Log in');
  await page.getByLabel('GitHub handle').fill(handle);
  await page.getByRole('button', { name: 'Log in as this handle' }).click();
  await expect(page).toHaveURL(/\/account/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account');
}

/// Claims `packagePath` from its page; returns the claim's row selector on
/// the account page (`#claim-N`, from the redirect's fragment).
async function claim(page: Page, packagePath: string, evidence: string): Promise<string> {
  await page.goto(packagePath);
  await page.getByRole('link', { name: 'Claim this package' }).click();
  await expect(page).toHaveURL(/\/account\/claim\?target=/);
  await page.getByLabel('Evidence (links to commits, the upstream project, your role)').fill(evidence);
  await page.getByRole('button', { name: 'Claim', exact: true }).click();
  await expect(page).toHaveURL(/\/account\?claim=\w+#claim-\d+$/);
  const row = new URL(page.url()).hash;
  await expect(page.locator(`${row} a[href="${packagePath}"]`)).toBeVisible();
  return row;
}

async function stepDown(page: Page, row: string) {
  await page.goto('/account');
  await page.locator(row).getByRole('button', { name: 'Step down' }).click();
  await expect(page.locator(row)).toHaveAttribute('data-status', 'withdrawn');
}

async function claimFlow(browser: Browser, page: Page, javaScriptEnabled: boolean) {
  // A declared maintainer of Spack's gromacs (a GitHub handle): verified at once.
  const gromacs = '/packages/spack/builtin/gromacs';
  await logIn(page, 'mabraham');
  const verified = await claim(page, gromacs, 'I maintain the Spack recipe.');
  await expect(page.getByRole('status').first()).toContainText('Your claim is verified');
  await expect(page.locator(verified)).toHaveAttribute('data-status', 'verified');
  await stepDown(page, verified);

  // Someone the channel does not declare: the claim waits for a moderator.
  const openmpi = '/packages/spack/builtin/openmpi';
  const handle = `e2e-${javaScriptEnabled ? 'js' : 'nojs'}-${Date.now().toString(36)}`;
  await page.getByRole('button', { name: 'Log out', exact: true }).first().click();
  await logIn(page, handle);
  const pendingRow = await claim(page, openmpi, `Demo evidence of ${handle}: upstream commits.`);
  await expect(page.getByRole('status').first()).toContainText('Your claim waits for a moderator');
  await expect(page.locator(pendingRow)).toHaveAttribute('data-status', 'pending');

  // The moderator, in a browser of their own, approves it with a reason.
  const context = await browser.newContext({ javaScriptEnabled });
  const moderator = await context.newPage();
  await logIn(moderator, 'demo-moderator');
  await moderator.goto('/moderation');
  await expect(moderator.getByRole('heading', { level: 1 })).toHaveText('Moderation');
  const pending = moderator.locator('tbody tr', { hasText: handle });
  await expect(pending).toHaveCount(1);
  await pending.getByLabel('Reason').fill('Commits checked upstream.');
  await pending.getByRole('button', { name: 'Approve' }).click();
  await expect(moderator.locator('tbody tr', { hasText: handle })).toHaveCount(0);
  await context.close();

  // The claimant reads the decision and its reason, then steps down.
  await page.goto('/account');
  const decided = page.locator(pendingRow);
  await expect(decided).toHaveAttribute('data-status', 'approved');
  await expect(decided).toContainText('Commits checked upstream.');
  // The package page now names the approved claimant beside its declared maintainers.
  await page.goto(openmpi);
  await expect(page.locator(`a[href="/maintainers/github/${handle}"]`).first()).toBeVisible();
  await stepDown(page, pendingRow);
}

test.describe('with JavaScript', () => {
  test('a declared maintainer is verified at once, anyone else is approved by a moderator', async ({ browser, page }) => {
    await claimFlow(browser, page, true);
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('a declared maintainer is verified at once, anyone else is approved by a moderator', async ({ browser, page }) => {
    await claimFlow(browser, page, false);
  });

  test('a maintainer reaches their inbox from the header; a visitor is asked to log in', async ({ page }) => {
    await page.goto('/inbox');
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole('banner').getByRole('link', { name: 'Inbox' })).toHaveCount(0);
    // A declared maintainer of Spack's petsc, which fails in the demo's CI.
    await logIn(page, 'balay');
    await page.getByRole('banner').getByRole('link', { name: 'Inbox' }).click();
    await expect(page).toHaveURL(/\/inbox$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your inbox');
    await expect(page.getByRole('status')).toHaveText(/^\d+ items?$/);
    await expect(page.locator('ul.inbox a[href="/packages/spack/builtin/petsc"]').first()).toBeVisible();
  });

  test('an admin reads people, roles and the audit log, paged', async ({ page }) => {
    // A visitor is asked to log in; nothing of the page is shown.
    await page.goto('/admin');
    await expect(page.getByRole('link', { name: 'Log in' }).first()).toBeVisible();
    await expect(page.locator('#audit')).toHaveCount(0);
    await logIn(page, 'demo-admin');
    await page.goto('/admin');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Administration');
    await expect(page.getByRole('table', { name: 'Accounts and their roles' })).toContainText('demo-moderator');
    const audit = page.getByRole('table', { name: 'Decisions, newest first' });
    await expect(audit.locator('tbody tr').first()).toBeVisible();
    const count = page.locator('#audit [role="status"]');
    await expect(count).toHaveText(/^[\d,]+ entr(y|ies)$/);
    const total = Number((await count.textContent())!.replace(/[^\d]/g, ''));
    const pages = Math.max(1, Math.ceil(total / 50));
    await expect(audit.locator('tbody tr')).toHaveCount(Math.min(total, 50));
    // Past the last page: the last page, never an error.
    await page.goto('/admin?page=9999');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Administration');
    await expect(page.locator('#audit a[rel="next"]')).toHaveCount(0);
    if (pages > 1) {
      await expect(page.locator('#audit nav.pager')).toContainText(`Page ${pages} of ${pages}`);
    }
  });

  test('the claim form asks a visitor to log in first', async ({ page }) => {
    await page.goto('/account/claim?target=spack/builtin/gromacs');
    await expect(page.getByRole('link', { name: 'Log in' }).first()).toBeVisible();
    await expect(page.locator('form.claim-form')).toHaveCount(0);
  });
});

test.describe('accessibility', () => {
  test('login, account and moderation pages have no axe violations', async ({ page }) => {
    await page.goto('/login');
    expect(await violations(page)).toEqual([]);
    await logIn(page, 'demo-moderator');
    expect(await violations(page)).toEqual([]);
    await page.goto('/moderation');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Moderation');
    expect(await violations(page)).toEqual([]);
    await page.goto('/inbox');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your inbox');
    expect(await violations(page)).toEqual([]);
  });
  test('the admin page has no axe violations', async ({ page }) => {
    await logIn(page, 'demo-admin');
    await page.goto('/admin');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Administration');
    expect(await violations(page)).toEqual([]);
  });
});
