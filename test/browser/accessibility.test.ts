/// <reference lib="dom" />
import type { BrowserContext, Page } from 'playwright-core';
import { createOneTimeLinks } from '../../src/core/one-time-links/one-time-links';
import type { TokenPurpose } from '../../src/core/one-time-links/one-time-tokens.repository';
import { GOOD_PASSWORD } from '../helpers/factories';
import { totpAt } from '../helpers/totp';
import { THEMES, WIDE, openSite, type Site } from './browser';
import { REALISTIC_SITE_ENV, seedRealisticAccount, type RealisticAccount } from './realistic-account';
import { Sweep, describeViolations, saveViolations, summarize, type Violation } from './sweep';

/**
 * One account with realistic data, every page in every theme at both widths, axe-core's
 * WCAG 2.2 A and AA rules on each: the one place the browser suite runs axe, so that the
 * other browser tests keep their pace. Screenshots land in test-output/screenshots/sweep.
 */
let site: Site;
let account: RealisticAccount;
let signedInState: Awaited<ReturnType<BrowserContext['storageState']>>;
const started = Date.now();

beforeAll(async () => {
  site = await openSite(REALISTIC_SITE_ENV);
  account = await seedRealisticAccount(site.t);
  const context = await sweepContext('light');
  const page = await context.newPage();
  await passwordStep(page);
  await page.locator('#field-code').fill(totpAt(account.totpSecret, site.t.clock.now()));
  await page.locator('form[action="/login/2fa"] button[type=submit]').click();
  await page.waitForURL(`${site.baseUrl}/`);
  signedInState = await context.storageState();
  await context.close();
}, 60_000);

afterAll(async () => {
  await site?.close();
  console.log(`Accessibility sweep: ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
});

/** A browser context in `theme`, signed out or with the sweep account's session. */
async function sweepContext(theme: string, signedIn = false): Promise<BrowserContext> {
  const context = await site.browser.newContext({ viewport: WIDE, locale: 'en-GB', colorScheme: 'light', storageState: signedIn ? signedInState : undefined });
  await context.addCookies([{ name: 'theme', value: theme, url: site.baseUrl }]);
  return context;
}

async function passwordStep(page: Page): Promise<void> {
  await page.goto(`${site.baseUrl}/login`);
  await page.locator('#field-identifier').fill(account.user.username);
  await page.locator('#field-password').fill(GOOD_PASSWORD);
  await page.locator('form[action="/login"] button[type=submit]').click();
  await page.waitForURL(`${site.baseUrl}/login/2fa`);
}

/** A fresh link of the kind the app mails, for the pages behind them. */
async function mailedLink(purpose: TokenPurpose, payload?: Record<string, unknown>): Promise<string> {
  const links = createOneTimeLinks({ repos: site.t.repos, clock: site.t.clock });
  return site.t.repos.transaction((tx) => links.issue(tx, { purpose, userId: account.user.id, lifetimeMs: 3_600_000, payload }));
}

async function signedOutPages(sweep: Sweep, page: Page): Promise<void> {
  const { baseUrl } = site;
  await sweep.visit(page, baseUrl, '/', 'welcome');
  await sweep.visit(page, baseUrl, '/login', 'sign-in');
  await sweep.postEmpty(page, 'form[action="/login"]', 'sign-in');
  await sweep.visit(page, baseUrl, '/signup', 'sign-up');
  await sweep.postEmpty(page, 'form[action="/signup"]', 'sign-up');
  await sweep.visit(page, baseUrl, '/forgot-password', 'forgot-password');
  await sweep.postEmpty(page, 'form[action="/forgot-password"]', 'forgot-password');
  await page.locator('#field-email').fill('someone.else@example.org');
  await page.locator('form[action="/forgot-password"] button[type=submit]').click();
  await page.waitForLoadState('load');
  await sweep.check(page, 'forgot-password-sent');
  const reset = `/reset-password/${await mailedLink('password_reset')}`;
  await sweep.visit(page, baseUrl, reset, 'reset-password');
  await sweep.postEmpty(page, `form[action="${reset}"]`, 'reset-password');
  await sweep.visit(page, baseUrl, `/reset-password/${'A'.repeat(43)}`, 'invalid-link', 404);
  await sweep.visit(page, baseUrl, `/verify-email/${await mailedLink('email_verify', { email: account.user.email })}`, 'verify-email');
  await sweep.visit(page, baseUrl, `/not-me/${await mailedLink('lockdown')}`, 'lockdown');
  await sweep.visit(page, baseUrl, '/no-such-page', 'not-found', 404);
  await page.goto(`${baseUrl}/api/docs`);
  await page.locator('.swagger-ui .opblock').first().waitFor();
  await sweep.check(page, 'api-docs');
  await passwordStep(page);
  await sweep.check(page, 'two-step');
  await sweep.postEmpty(page, 'form[action="/login/2fa"]:has(#field-code)', 'two-step');
  await sweep.visit(page, baseUrl, '/login/2fa?method=recovery', 'two-step-recovery');
}

/** The profile tabs: the path, the screenshot name, and the form whose error state is checked too. */
const TABS: { path: string; name: string; form?: string }[] = [
  { path: '/profile/account', name: 'profile-account', form: 'form[action="/profile/account/name"]' },
  { path: '/profile/password', name: 'profile-password', form: 'form[action="/profile/password"]' },
  { path: '/profile/preferences', name: 'profile-preferences', form: 'form[action="/profile/preferences"]' },
  { path: '/profile/security', name: 'profile-security', form: 'form[action="/profile/security/totp/disable"]' },
  { path: '/profile/sessions', name: 'profile-sessions' },
  { path: '/profile/activity', name: 'profile-activity' },
  { path: '/profile/tokens', name: 'profile-tokens', form: 'form[action="/profile/tokens"]' },
  { path: '/profile/app-passwords', name: 'profile-app-passwords', form: 'form[action="/profile/app-passwords"]' },
  { path: '/profile/keys', name: 'profile-keys', form: 'form[action="/profile/keys"]' },
  { path: '/profile/data', name: 'profile-data' },
  { path: '/profile/delete', name: 'profile-delete', form: 'form[action="/profile/delete"]' },
];

async function signedInPages(sweep: Sweep, page: Page): Promise<void> {
  const { baseUrl } = site;
  await sweep.visit(page, baseUrl, '/', 'home');
  for (const tab of TABS) {
    await sweep.visit(page, baseUrl, tab.path, tab.name);
    if (tab.form) await sweep.postEmpty(page, tab.form, tab.name);
  }
  await sweep.visit(page, baseUrl, '/profile/security/totp', 'totp-setup');
  await sweep.postEmpty(page, 'form[action="/profile/security/totp"]', 'totp-setup');
  await page.goto(`${baseUrl}/profile/security`);
  await page.evaluate(() => {
    const form = document.querySelector<HTMLFormElement>('form[action="/profile/security/recovery-codes"]');
    form?.querySelectorAll<HTMLInputElement>('input[type=checkbox]').forEach((box) => (box.checked = false));
    form?.requestSubmit();
  });
  await page.waitForURL(`${baseUrl}/profile/security/recovery-codes`);
  await sweep.check(page, 'recovery-codes');
  await sweep.postEmpty(page, 'form[action="/profile/security/recovery-codes/saved"]', 'recovery-codes');
  await page.locator('#field-saved').check();
  await page.locator('form[action="/profile/security/recovery-codes/saved"] button[type=submit]').click();
  await page.waitForURL(`${baseUrl}/profile/security`);
  await sweep.visit(page, baseUrl, '/reauth?next=/profile/account', 'reauth');
  await sweep.postEmpty(page, 'form[action="/reauth"]', 'reauth');
}

function expectNoViolations(violations: Violation[]): void {
  if (violations.length > 0) throw new Error(`axe-core found ${violations.length} WCAG 2.2 A/AA violations:\n${describeViolations(violations)}`);
}

/** Runs `visit` in a fresh context of `theme`, then fails listing every violation found. */
async function sweepAll(theme: string, part: string, signedIn: boolean, visit: (sweep: Sweep, page: Page) => Promise<void>): Promise<void> {
  const sweep = new Sweep(theme, { axe: theme === THEMES[0] ? 'all' : 'theme' });
  const start = Date.now();
  const context = await sweepContext(theme, signedIn);
  try {
    await visit(sweep, await context.newPage());
  } finally {
    await context.close();
    saveViolations(`violations-${part}-${theme}.json`, sweep.violations);
    console.log(`${part}: ${summarize(sweep, start)}`);
  }
  expectNoViolations(sweep.violations);
}

// Each part takes under a minute of CPU time; on a two-core machine shared with other work, four minutes were seen.
const PART_TIMEOUT_MS = 420_000;

describe.each(THEMES)('Every page in the %s theme, wide and narrow, with a year of realistic data', (theme) => {
  it('has no WCAG 2.2 A or AA violation that axe-core finds on the signed-out pages', () => sweepAll(theme, 'signed-out', false, signedOutPages), PART_TIMEOUT_MS);
  it('has no WCAG 2.2 A or AA violation that axe-core finds on the signed-in pages', () => sweepAll(theme, 'signed-in', true, signedInPages), PART_TIMEOUT_MS);
});

describe('The profile tabs in other languages', () => {
  it.each(['de', 'sr-Cyrl'] as const)('shows every profile tab in %s, in the light theme, for people to look at', async (language) => {
    // Screenshots only: the markup and colours are those axe-core checked in English.
    const sweep = new Sweep(`light-${language}`, { axe: 'none' });
    const start = Date.now();
    await site.t.repos.users.setAppearance(account.user.id, { language }, site.t.clock.now());
    try {
      const context = await sweepContext('light', true);
      const page = await context.newPage();
      for (const tab of TABS) {
        await sweep.visit(page, site.baseUrl, tab.path, tab.name);
        expect({ tab: tab.path, lang: await page.getAttribute('html', 'lang') }).toEqual({ tab: tab.path, lang: language });
      }
      await context.close();
    } finally {
      await site.t.repos.users.setAppearance(account.user.id, { language: 'en' }, site.t.clock.now());
    }
    console.log(summarize(sweep, start));
  }, 120_000);
});
