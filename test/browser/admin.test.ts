/// <reference lib="dom" />
import type { BrowserContext } from 'playwright-core';
import { grantFor } from '../helpers/connected-apps';
import { GOOD_PASSWORD, createUser } from '../helpers/factories';
import { NARROW, THEMES, WIDE, horizontalOverflow, newContext, openSite, shoot, signInThroughForm, type Site } from './browser';
import { REALISTIC_SITE_ENV, seedRealisticAccount, type RealisticAccount } from './realistic-account';
import { Sweep, describeViolations, saveViolations, summarize } from './sweep';

/**
 * The admin console in the browser: every console page in every theme at both widths,
 * with axe-core's WCAG 2.2 A and AA rules (all of them in the first theme, the theme rules
 * in the others, as the profile's sweep does), screenshots in English, German and Serbian
 * Cyrillic, and one action done with the keyboard alone and one without JavaScript.
 * Screenshots land in test-output/screenshots/sweep.
 */
let site: Site;
let person: RealisticAccount;
let admin: Awaited<ReturnType<typeof createUser>>;
let adminState: Awaited<ReturnType<BrowserContext['storageState']>>;

beforeAll(async () => {
  site = await openSite(REALISTIC_SITE_ENV);
  person = await seedRealisticAccount(site.t);
  admin = await createUser(site.t, { admin: true, firstName: 'Grace', lastName: 'Hopper', username: 'grace', email: 'grace@example.com', emailVerified: true });
  for (const [firstName, lastName] of [['Đorđe', 'Marković'], ['Jürgen', 'Großmann'], ['Amelia', 'Earhart'], ['Nikola', 'Tesla'], ['Zoë', 'Van der Berg-Lindqvist']]) {
    await createUser(site.t, { firstName, lastName });
  }
  // A few weeks of the audit trail, as the actions write it.
  const browserUa = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
  const entries: Array<[string, Record<string, unknown>]> = [
    ['user_created', { admin: false }],
    ['password_reset_sent', {}],
    ['user_locked', {}],
    ['user_unlocked', {}],
    ['two_step_reset', { removed: 'authenticator app, 2 passkeys' }],
    ['role_changed', { from: 'user', to: 'admin' }],
    ['policy_changed', { key: 'signup', from: 'open', to: 'closed' }],
  ];
  // Two applications, one of them allowed by the person, as the console registers them.
  const { client: wiki } = await site.t.services.applications.register({ name: 'Team Wiki', redirect_uris: ['https://wiki.example.com/oidc/callback', 'https://wiki-staging.example.com/oidc/callback'], post_logout_redirect_uris: ['https://wiki.example.com/'], public: false });
  await site.t.services.applications.register({ name: 'Notes for iPhone', redirect_uris: ['com.example.notes:/oauth/callback'], post_logout_redirect_uris: [], public: true });
  await grantFor(site.t, person.user.id, wiki.clientId);
  entries.push(['application_registered', { client_id: wiki.clientId, client_name: wiki.name }]);
  for (const [action, data] of entries) {
    const target = ['policy_changed', 'application_registered'].includes(action) ? undefined : person.user;
    await site.t.repos.adminAudit.record({ actor: admin, target, action, ip: '203.0.113.7', userAgent: browserUa, data, now: site.t.clock.now() });
  }
  const context = await site.browser.newContext({ viewport: WIDE, locale: 'en-GB', colorScheme: 'light' });
  const page = await context.newPage();
  await signInThroughForm(site, page, { username: admin.username, password: GOOD_PASSWORD });
  adminState = await context.storageState();
  await context.close();
}, 60_000);

afterAll(async () => site?.close());

/** The console's pages, with the form whose error state is checked too. */
function consolePages(): { path: string; name: string; form?: string; status?: number }[] {
  return [
    { path: '/admin/users', name: 'admin-people' },
    { path: '/admin/users?q=zz-nobody', name: 'admin-people-none' },
    { path: `/admin/users/${person.user.username}`, name: 'admin-person' },
    { path: '/admin/users/new', name: 'admin-new-account', form: 'form[action="/admin/users/new"]' },
    { path: '/admin/applications', name: 'admin-applications', form: 'form[action="/admin/applications"]' },
    { path: '/admin/settings', name: 'admin-settings' },
    { path: '/admin/audit?kind=nonsense', name: 'admin-audit-bad-filter', status: 422 },
    { path: '/admin/audit', name: 'admin-audit' },
  ];
}

async function adminContext(theme: string, locale = 'en-GB'): Promise<BrowserContext> {
  const context = await site.browser.newContext({ viewport: WIDE, locale, colorScheme: 'light', storageState: adminState });
  await context.addCookies([{ name: 'theme', value: theme, url: site.baseUrl }]);
  return context;
}

describe.each(THEMES)('The admin console in the %s theme, wide and narrow', (theme) => {
  it('has no WCAG 2.2 A or AA violation that axe-core finds, and never scrolls sideways', async () => {
    const sweep = new Sweep(theme, { axe: theme === THEMES[0] ? 'all' : 'theme' });
    const start = Date.now();
    const context = await adminContext(theme);
    const page = await context.newPage();
    const overflow: string[] = [];
    try {
      for (const entry of consolePages()) {
        await sweep.visit(page, site.baseUrl, entry.path, entry.name, entry.status);
        if ((await horizontalOverflow(page)) > 0) overflow.push(`${entry.path} (narrow)`);
        if (entry.form) await sweep.postEmpty(page, entry.form, entry.name);
      }
    } finally {
      await context.close();
      saveViolations(`violations-admin-${theme}.json`, sweep.violations);
      console.log(`admin: ${summarize(sweep, start)}`);
    }
    if (sweep.violations.length > 0) throw new Error(`axe-core found ${sweep.violations.length} violations:\n${describeViolations(sweep.violations)}`);
    expect(overflow).toEqual([]);
  }, 300_000);
});

describe('The admin console in other languages', () => {
  it.each(['de', 'sr-Cyrl'] as const)('shows every console page in %s, for people to look at', async (language) => {
    const sweep = new Sweep(`light-${language}`, { axe: 'none' });
    await site.t.repos.users.setAppearance(admin.id, { language }, site.t.clock.now());
    try {
      const context = await adminContext('light');
      const page = await context.newPage();
      for (const entry of consolePages()) {
        await sweep.visit(page, site.baseUrl, entry.path, entry.name, entry.status);
        expect({ path: entry.path, lang: await page.getAttribute('html', 'lang') }).toEqual({ path: entry.path, lang: language });
      }
      await context.close();
    } finally {
      await site.t.repos.users.setAppearance(admin.id, { language: 'en' }, site.t.clock.now());
    }
  }, 120_000);
});

describe('The admin console by keyboard and without JavaScript', () => {
  it('finds a person with the keyboard alone: Tab to the search field, type, Enter', async () => {
    const context = await adminContext('light');
    const page = await context.newPage();
    await page.goto(`${site.baseUrl}/admin/users`);
    let focused = '';
    for (let i = 0; i < 40 && focused !== 'q'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name ?? '');
    }
    expect(focused).toBe('q');
    await page.keyboard.type('tesl');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/admin\/users\?.*q=tesl/);
    expect(await page.locator('main').innerText()).toContain('Nikola Tesla');
    await context.close();
  });

  it('locks a person without JavaScript, through the confirmation, and every visible button does something', async () => {
    const target = await createUser(site.t, { firstName: 'Lin', lastName: 'Locked' });
    const context = await newContext(site, { javaScript: false });
    await context.addCookies(adminState.cookies);
    const page = await context.newPage();
    const dead: Record<string, string[]> = {};
    for (const path of ['/admin/users', `/admin/users/${target.username}`, '/admin/users/new', '/admin/applications', '/admin/settings', '/admin/audit']) {
      await page.goto(`${site.baseUrl}${path}`);
      const found = await page.$$eval('button', (buttons) =>
        buttons.filter((b) => b.getClientRects().length > 0 && getComputedStyle(b).visibility !== 'hidden').filter((b) => b.type !== 'submit' || !b.form).map((b) => (b.textContent ?? '').trim()),
      );
      if (found.length > 0) dead[path] = found;
    }
    expect(dead).toEqual({});
    await page.goto(`${site.baseUrl}/admin/users/${target.username}`);
    const lock = page.locator(`form[action="/admin/users/${target.username}/lock"]`);
    await page.locator('details', { has: lock }).locator('summary').click();
    await lock.locator('button[type=submit]').click();
    await page.waitForURL(`${site.baseUrl}/admin/users/${target.username}`);
    expect((await site.t.repos.users.findById(target.id))?.lockedAt).not.toBeNull();
    await shoot(page, 'admin-person-locked-no-js');
    await context.close();
  });
});

describe('Registering an application in the console', () => {
  it.each(['light', 'dark'] as const)('shows its client_id, secret, issuer and discovery document once (%s, wide and narrow)', async (theme) => {
    const context = await adminContext(theme);
    const page = await context.newPage();
    await page.goto(`${site.baseUrl}/admin/applications`);
    await page.locator('#new-application > summary').click();
    await page.fill('#field-name', `Billing (${theme})`);
    await page.fill('#field-redirect_uris', 'https://billing.example.com/auth/callback\nhttps://billing.example.com/auth/callback/staging');
    await page.fill('#field-post_logout_redirect_uris', 'https://billing.example.com/');
    await page.locator('form[action="/admin/applications"] button[type=submit]').click();
    await page.waitForURL(`${site.baseUrl}/admin/applications`);
    expect(await page.locator('#app-client-secret').innerText()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // With JavaScript, each value has its copy button.
    expect(await page.locator('.app-settings button[data-copy]:visible').count()).toBe(4);
    for (const [width, viewport] of [['wide', WIDE], ['narrow', NARROW]] as const) {
      await page.setViewportSize(viewport);
      expect({ width, overflow: await horizontalOverflow(page) }).toEqual({ width, overflow: 0 });
      await shoot(page, `admin-application-registered-${theme}-${width}`);
    }
    await page.reload();
    expect(await page.locator('#app-client-secret').count()).toBe(0);
    // A registered application's details: where it may send people back.
    await page.locator('summary', { hasText: 'Team Wiki' }).click();
    for (const [width, viewport] of [['wide', WIDE], ['narrow', NARROW]] as const) {
      await page.setViewportSize(viewport);
      expect({ width, overflow: await horizontalOverflow(page) }).toEqual({ width, overflow: 0 });
      await shoot(page, `admin-application-details-${theme}-${width}`);
    }
    await context.close();
  }, 60_000);
});
