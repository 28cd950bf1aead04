/// <reference lib="dom" />
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startTestProvider, type TestProvider } from '../helpers/oidc-provider';
import { closedPort } from '../helpers/tcp-proxy';
import { THEMES, NARROW, horizontalOverflow, newContext, openSite, shoot, type Site } from './browser';
import { Sweep, describeViolations, saveViolations, summarize } from './sweep';

/**
 * Signing in with an identity provider in Chromium, end to end against a real OpenID
 * provider: the button on the sign-in page, the provider's page, the confirmation of a
 * first sign-in, and the Connections tab; then the pages with provider buttons in every
 * theme at both widths under axe-core, and in German and Serbian Cyrillic.
 */
let site: Site;
let provider: TestProvider;
let dir: string;

const ADA = { sub: 'ada-sub', email: 'ada@corp.example', email_verified: true, given_name: 'Ada', family_name: 'Lovelace', name: 'Ada Lovelace', preferred_username: 'ada' };

beforeAll(async () => {
  const port = await closedPort();
  const baseUrl = `http://127.0.0.1:${port}`;
  provider = await startTestProvider({ clients: [{ client_id: 'atrium', client_secret: 'browser-secret', redirect_uris: [`${baseUrl}/auth/oidc/corp/callback`] }], accounts: [ADA] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-oidc-browser-'));
  const file = path.join(dir, 'providers.json');
  const entry = (id: string, name: string) => ({ id, name, issuer: provider.issuer, client_id: 'atrium', client_secret: 'browser-secret', scopes: ['openid', 'email', 'profile'] });
  // A second entry shows how the buttons stack (only the first one is used).
  fs.writeFileSync(file, JSON.stringify([entry('corp', 'Corp SSO'), entry('partner', 'Partner Identity Service')]));
  site = await openSite({ OIDC_PROVIDERS_FILE: file }, { port });
}, 60_000);

afterAll(async () => {
  await site?.close();
  await provider?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The provider's own sign-in page, as the test provider serves it. */
async function signInAtProvider(page: Page, sub: string): Promise<void> {
  await page.waitForURL((url) => url.href.startsWith(provider.issuer));
  await page.locator('input[name="sub"]').fill(sub);
  await page.locator('form[action$="/login"] button').click();
}

describe('Signing in with an identity provider in the browser', () => {
  it('creates an account on a first sign-in after a confirmation, and lists the connection on the Connections tab', async () => {
    const context = await newContext(site);
    const page = await context.newPage();
    await page.goto(`${site.baseUrl}/login`);
    await shoot(page, 'identities-sign-in-buttons');
    await page.getByRole('button', { name: 'Continue with Corp SSO' }).click();
    await signInAtProvider(page, ADA.sub);
    await page.waitForURL(`${site.baseUrl}/auth/oidc/signup`);
    expect(await page.locator('#field-first_name').inputValue()).toBe('Ada');
    expect(await page.locator('#field-username').inputValue()).toBe('ada');
    await shoot(page, 'identities-confirm-sign-up');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${site.baseUrl}/`);

    await page.goto(`${site.baseUrl}/profile/connections`);
    await expect(page.locator('main').textContent()).resolves.toContain('ada@corp.example');
    await shoot(page, 'identities-connections');
    await page.goto(`${site.baseUrl}/profile/password`);
    await shoot(page, 'identities-password-tab-no-password');
    // Confirming identity offers the providers the account is connected to, and no password.
    await page.goto(`${site.baseUrl}/reauth?next=/profile/connections`);
    await expect(page.getByRole('button', { name: 'Confirm with Corp SSO' }).count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: 'Confirm with Partner Identity Service' }).count()).resolves.toBe(0);
    await expect(page.locator('#field-password').isVisible()).resolves.toBe(false);
    await context.close();
  });

  it('works without JavaScript too', async () => {
    const context = await newContext(site, { javaScript: false });
    const page = await context.newPage();
    await page.goto(`${site.baseUrl}/login`);
    await page.getByRole('button', { name: 'Continue with Corp SSO' }).click();
    await signInAtProvider(page, ADA.sub);
    // Ada's account exists now: she is signed straight in.
    await page.waitForURL(`${site.baseUrl}/`);
    await page.goto(`${site.baseUrl}/profile/sessions`);
    await expect(page.locator('main').textContent()).resolves.toContain('Corp SSO');
    await context.close();
  });
});

describe.each(THEMES)('The provider pages in the %s theme, wide and narrow', (theme) => {
  it('have no WCAG 2.2 A or AA violation that axe-core finds, and never scroll sideways', async () => {
    const sweep = new Sweep(theme, { axe: theme === THEMES[0] ? 'all' : 'theme' });
    const started = Date.now();
    const context = await newContext(site, { theme });
    const page = await context.newPage();
    const overflow: string[] = [];
    await sweep.visit(page, site.baseUrl, '/login', 'identities-login');
    await sweep.visit(page, site.baseUrl, '/signup', 'identities-signup');
    await page.getByRole('button', { name: 'Continue with Corp SSO' }).first().click();
    await signInAtProvider(page, ADA.sub);
    await page.waitForURL(`${site.baseUrl}/`);
    for (const [url, name] of [['/profile/connections', 'identities-connections'], ['/reauth?next=/profile/connections', 'identities-reauth'], ['/profile/password', 'identities-password']] as const) {
      await sweep.visit(page, site.baseUrl, url, name);
      await page.setViewportSize(NARROW);
      if ((await horizontalOverflow(page)) > 0) overflow.push(url);
    }
    console.log(summarize(sweep, started));
    saveViolations(`identities-${theme}.json`, sweep.violations);
    await context.close();
    expect(overflow).toEqual([]);
    expect(describeViolations(sweep.violations)).toBe('');
  });
});

describe.each(['de', 'sr-Cyrl'])('The provider pages in %s', (locale) => {
  it('are translated', async () => {
    const context = await newContext(site, { locale });
    const page = await context.newPage();
    await page.goto(`${site.baseUrl}/login`);
    const label = locale === 'de' ? 'Weiter mit Corp SSO' : 'Настави преко Corp SSO';
    await expect(page.getByRole('button', { name: label }).count()).resolves.toBe(1);
    await shoot(page, `identities-login-${locale}`);
    await page.getByRole('button', { name: label }).click();
    await signInAtProvider(page, ADA.sub);
    await page.waitForURL(`${site.baseUrl}/`);
    // The account's own language wins over the browser's: Ada switches hers.
    const ada = await site.t.repos.users.findByUsername('ada');
    await site.t.repos.users.setAppearance(ada!.id, { language: locale as 'de' | 'sr-Cyrl' }, site.t.clock.now());
    await page.goto(`${site.baseUrl}/profile/connections`);
    await expect(page.locator('h1').textContent()).resolves.toBe(locale === 'de' ? 'Verbindungen' : 'Везе');
    await shoot(page, `identities-connections-${locale}`);
    await context.close();
  });
});
