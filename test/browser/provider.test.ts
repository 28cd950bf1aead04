/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { GOOD_PASSWORD, createUser } from '../helpers/factories';
import { solidPng } from '../helpers/images';
import { THEMES, horizontalOverflow, newContext, openSite, shoot, type Site } from './browser';
import { Sweep, describeViolations, saveViolations, summarize } from './sweep';
import { startWiki, type Wiki } from './wiki-app';

/**
 * This service as an OpenID Provider in Chromium: a real application (the "Wiki", with
 * openid-client, on a port of its own) signs a person in without JavaScript, through the
 * sign-in form, the "continue" pages and the consent page, shows their name and picture,
 * and signs them out again; then the provider's pages in every theme at both widths
 * under axe-core, and the consent and sign-out pages in German and Serbian Cyrillic.
 */
let site: Site;
let wiki: Wiki;

beforeAll(async () => {
  site = await openSite();
  wiki = await startWiki(site);
}, 60_000);

afterAll(async () => {
  await wiki?.close();
  await site?.close();
});

/** Ada, whose language is `language`. */
const ada = (language: 'en' | 'de' | 'sr-Cyrl' = 'en') => createUser(site.t, { firstName: 'Ada', lastName: 'Lovelace', password: GOOD_PASSWORD, emailVerified: true, language });

/** The site's own sign-in form, where the provider sends a person who is not signed in. */
async function signInAtSite(page: Page, username: string): Promise<void> {
  await page.waitForURL((url) => url.origin === site.baseUrl && url.pathname === '/login');
  await page.locator('#field-identifier').fill(username);
  await page.locator('#field-password').fill(GOOD_PASSWORD);
  await page.locator('form[action="/login"] button[type=submit]').click();
}

/**
 * Keeps the "continue" page that answers Allow on screen, for the sweep: it moves on at
 * once by itself (a meta refresh), so the refresh is taken out and the test follows its link.
 */
async function holdContinuePage(page: Page): Promise<void> {
  await page.route(`${site.baseUrl}/interaction/*/confirm`, async (route) => {
    const response = await route.fetch({ maxRedirects: 0 });
    await route.fulfill({ response, body: (await response.text()).replace(/<meta http-equiv="refresh"[^>]*>/, '') });
  });
}

describe('An application signs a person in with this service in Chromium, without JavaScript', () => {
  it('goes through sign-in, consent and back, lists the application, and signs out through the application', async () => {
    const user = await ada();
    await site.t.services.avatars.upload(user, await solidPng(300, 300, { r: 120, g: 40, b: 160 }));
    const context = await newContext(site, { javaScript: false });
    const page = await context.newPage();
    const visited: string[] = [];
    page.on('request', (request) => {
      if (request.isNavigationRequest()) visited.push(new URL(request.url()).pathname);
    });

    await page.goto(`${wiki.origin}/login`);
    await signInAtSite(page, user.username);
    // The continue page moves on by its meta refresh alone: the library's resume URL, then the consent page.
    const heading = page.getByRole('heading', { level: 1, name: 'Wiki wants to use your Atrium account' });
    await heading.waitFor();
    expect(visited).toEqual(expect.arrayContaining(['/login', expect.stringMatching(/^\/interaction\//), expect.stringMatching(/^\/oidc\/auth\//)]));
    await expect(page.locator('main').textContent()).resolves.toContain(user.email);
    await shoot(page, 'provider-consent-no-javascript');

    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((url) => url.origin === wiki.origin && url.pathname === '/callback');
    await expect(page.locator('h1').textContent()).resolves.toBe('Hello Ada Lovelace');
    await expect(page.locator('#email').textContent()).resolves.toBe(user.email);
    // The picture claim names the avatar on the site, which another origin may show.
    const picture = page.locator('#picture');
    await expect(picture.getAttribute('src')).resolves.toMatch(new RegExp(`^${site.baseUrl}/avatars/[0-9a-f]{64}/256\\.webp$`));
    await expect(picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).resolves.toBe(256);
    await shoot(page, 'provider-wiki-signed-in');

    const tab = await context.newPage();
    await tab.goto(`${site.baseUrl}/profile/apps`);
    await expect(tab.locator('main').textContent()).resolves.toContain('Wiki');
    await shoot(tab, 'provider-apps-no-javascript');
    await tab.close();

    await page.getByRole('link', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign out of Atrium?' }).waitFor();
    await expect(page.locator('main').textContent()).resolves.toContain('Wiki asked to sign you out of Atrium.');
    await shoot(page, 'provider-logout-no-javascript');
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${wiki.origin}/bye`);
    await expect(page.locator('h1').textContent()).resolves.toBe('You are signed out of Wiki');

    await page.goto(`${site.baseUrl}/profile`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await context.close();
  });
});

describe.each(THEMES)('The provider pages in the %s theme, wide and narrow', (theme) => {
  it('have no WCAG 2.2 A or AA violation that axe-core finds, and never scroll sideways', async () => {
    const sweep = new Sweep(theme, { axe: theme === THEMES[0] ? 'all' : 'theme' });
    const started = Date.now();
    const user = await ada();
    const context = await newContext(site, { theme });
    const page = await context.newPage();
    const overflow: string[] = [];
    const check = async (name: string) => {
      await sweep.check(page, name);
      if ((await horizontalOverflow(page)) > 0) overflow.push(name);
    };
    await holdContinuePage(page);

    await page.goto(`${wiki.origin}/login`);
    await signInAtSite(page, user.username);
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    await check('provider-consent');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.locator('#continue').waitFor();
    await check('provider-continue');
    await page.locator('#continue').click();
    await page.waitForURL((url) => url.origin === wiki.origin);
    const signOut = await page.getByRole('link', { name: 'Sign out' }).getAttribute('href');

    await sweep.visit(page, site.baseUrl, '/profile/apps', 'provider-apps');
    await page.goto(signOut as string);
    await check('provider-logout');
    // Declining ends the application's session only: back at the application, still signed in here.
    await page.getByRole('button', { name: 'No, stay signed in' }).click();
    await page.waitForURL(`${wiki.origin}/bye`);
    await expect(page.goto(`${site.baseUrl}/profile/apps`).then((response) => response?.url())).resolves.toBe(`${site.baseUrl}/profile/apps`);
    // Without a return address the application's sign-out ends on the site's own page, which
    // says what ended: the application's sign-in only, or this site's too.
    const endSession = `${site.baseUrl}/oidc/session/end?client_id=${wiki.clientId}`;
    await page.goto(endSession);
    await page.getByRole('button', { name: 'No, stay signed in' }).click();
    await page.getByRole('heading', { level: 1, name: 'You are signed out of Wiki' }).waitFor();
    await check('provider-logged-out-of-app');
    await page.goto(endSession);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.getByRole('heading', { level: 1, name: 'You are signed out' }).waitFor();
    await check('provider-logged-out');
    await expect(page.goto(`${site.baseUrl}/profile/apps`).then((response) => new URL(response?.url() ?? '').pathname)).resolves.toBe('/login');

    console.log(summarize(sweep, started));
    saveViolations(`provider-${theme}.json`, sweep.violations);
    await context.close();
    expect(overflow).toEqual([]);
    expect(describeViolations(sweep.violations)).toBe('');
  });
});

describe.each([
  ['de', { heading: 'Wiki möchte Ihr Atrium-Konto verwenden', allow: 'Erlauben', signOut: 'Von Atrium abmelden?', yes: 'Ja, abmelden' }],
  ['sr-Cyrl', { heading: 'Wiki жели да користи ваш Atrium налог', allow: 'Дозволи', signOut: 'Одјавити се са Atrium?', yes: 'Да, одјави ме' }],
] as const)('The consent and sign-out pages in %s', (locale, words) => {
  it('are translated, with no violation that axe-core finds', async () => {
    const sweep = new Sweep(locale);
    const user = await ada(locale);
    const context = await newContext(site, { locale });
    const page = await context.newPage();
    await page.goto(`${wiki.origin}/login`);
    await signInAtSite(page, user.username);
    await page.getByRole('heading', { level: 1, name: words.heading }).waitFor();
    await sweep.check(page, 'provider-consent');
    await page.getByRole('button', { name: words.allow }).click();
    await page.waitForURL((url) => url.origin === wiki.origin);
    await expect(page.locator('h1').textContent()).resolves.toBe('Hello Ada Lovelace');
    await page.getByRole('link', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: words.signOut }).waitFor();
    await sweep.check(page, 'provider-logout');
    await page.getByRole('button', { name: words.yes }).click();
    await page.waitForURL(`${wiki.origin}/bye`);
    saveViolations(`provider-${locale}.json`, sweep.violations);
    await context.close();
    expect(describeViolations(sweep.violations)).toBe('');
  });
});
