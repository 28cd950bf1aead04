/// <reference lib="dom" />
import type { BrowserContext, Page } from 'playwright-core';
import { DIRECTORY_PEOPLE, PrivateSlapd } from '../helpers/slapd';
import { THEMES, horizontalOverflow, newContext, openSite, shoot, signInThroughForm, type Site } from './browser';
import { Sweep, describeViolations, saveViolations, summarize, type Violation } from './sweep';

/**
 * People from an LDAP directory (a private slapd) in Chromium: they sign in through the
 * sign-in form with the directory's password, and grace's picture comes from her jpegPhoto;
 * then the Account and Password tabs that say the directory manages their details and
 * password, and the forgot-password page's note, in every theme at both widths under
 * axe-core, and in German and Serbian Cyrillic; last, the Security tab of a site that
 * leaves two-step verification to the directory.
 */
const CHANGE_URL = 'https://id.example.org/password';
const { ada, grace, alan } = DIRECTORY_PEOPLE;

const slapd = new PrivateSlapd();
let site: Site;

beforeAll(async () => {
  await slapd.start();
  site = await openSite({ ...slapd.env(), LDAP_PASSWORD_CHANGE_URL: CHANGE_URL });
}, 60_000);

afterAll(async () => {
  await site?.close();
  await slapd.stop();
});

const signIn = (target: Site, page: Page, person: { uid: string; password: string }) => signInThroughForm(target, page, { username: person.uid, password: person.password });

describe('People from the directory in Chromium', () => {
  it('sign in with the directory’s password, and see their details and password as the directory’s', async () => {
    const context = await newContext(site);
    const page = await context.newPage();
    await page.goto(`${site.baseUrl}/forgot-password`);
    await expect(page.locator('main [role=note]').textContent()).resolves.toContain("If your account comes from your organisation's directory");
    await expect(page.locator('main [role=note] a').getAttribute('href')).resolves.toBe(CHANGE_URL);

    await signIn(site, page, ada);
    await expect(page.locator('.user-menu__toggle').textContent()).resolves.toContain('Ada');
    await page.goto(`${site.baseUrl}/profile/account`);
    await expect(page.getByText("Managed by your organisation's directory").count()).resolves.toBeGreaterThan(0);
    // Read-only: no field to type a name or address into, no picture to upload.
    await expect(page.locator('main form[action^="/profile/account"]').count()).resolves.toBe(0);
    await expect(page.locator('main').textContent()).resolves.toContain(ada.email);
    // No reset link ever goes to a recovery address: the card for one is left out.
    await expect(page.locator('#recovery-title').count()).resolves.toBe(0);

    await page.goto(`${site.baseUrl}/profile/password`);
    await expect(page.locator('main').textContent()).resolves.toContain("you sign in with the directory's password");
    await expect(page.locator('#field-current_password').count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Change your password in the directory' }).getAttribute('href')).resolves.toBe(CHANGE_URL);
    await context.close();
  });

  it('show the picture from the directory in the header and on the Account tab', async () => {
    const context = await newContext(site);
    const page = await context.newPage();
    await signIn(site, page, grace);
    const loaded = (selector: string) => page.locator(selector).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);
    await expect(page.locator('.user-menu__toggle img').getAttribute('src')).resolves.toMatch(/^\/avatars\/[0-9a-f]{64}\//);
    await expect(loaded('.user-menu__toggle img')).resolves.toBe(true);
    await page.goto(`${site.baseUrl}/profile/account`);
    await expect(loaded('.avatar--large img')).resolves.toBe(true);
    await shoot(page, 'directory-account-with-picture');
    await context.close();
  });
});

describe('The directory’s pages in every theme, wide and narrow', () => {
  // One visitor signed out and one signed in serve every theme: the theme is a cookie.
  let signedOut: BrowserContext;
  let signedIn: BrowserContext;

  beforeAll(async () => {
    signedOut = await newContext(site);
    signedIn = await newContext(site);
    await signIn(site, await signedIn.newPage(), ada);
  });

  afterAll(async () => {
    await signedOut?.close();
    await signedIn?.close();
  });

  it.each(THEMES)('have no WCAG 2.2 A or AA violation that axe-core finds in the %s theme, and never scroll sideways', async (theme) => {
    const sweep = new Sweep(theme, { axe: theme === THEMES[0] ? 'all' : 'theme' });
    const started = Date.now();
    const overflow: string[] = [];
    for (const [context, url, name] of [
      [signedOut, '/forgot-password', 'directory-forgot-password'],
      [signedIn, '/profile/account', 'directory-account'],
      [signedIn, '/profile/password', 'directory-password'],
    ] as const) {
      await context.addCookies([{ name: 'theme', value: theme, url: site.baseUrl }]);
      const page = context.pages()[0] ?? (await context.newPage());
      await sweep.visit(page, site.baseUrl, url, name);
      if ((await horizontalOverflow(page)) > 0) overflow.push(url);
    }
    console.log(summarize(sweep, started));
    saveViolations(`directory-${theme}.json`, sweep.violations);
    expect(overflow).toEqual([]);
    expect(describeViolations(sweep.violations)).toBe('');
  });
});

describe.each([
  ['de', { lock: 'Vom Verzeichnis Ihrer Organisation verwaltet', change: 'Passwort im Verzeichnis ändern' }],
  ['sr-Cyrl', { lock: 'Управља именик ваше организације', change: 'Промените лозинку у именику' }],
] as const)('The directory’s pages in %s', (locale, words) => {
  it('are translated, with no violation that axe-core finds', async () => {
    const sweep = new Sweep(locale);
    const context = await newContext(site, { locale });
    const page = await context.newPage();
    await signIn(site, page, alan);
    // The account's own language wins over the browser's: alan's is set to this one.
    const user = await site.t.repos.users.findByUsername(alan.uid);
    await site.t.repos.users.setAppearance(user!.id, { language: locale }, site.t.clock.now());
    await page.goto(`${site.baseUrl}/profile/account`);
    await expect(page.getByText(words.lock).count()).resolves.toBeGreaterThan(0);
    await page.goto(`${site.baseUrl}/profile/password`);
    await expect(page.getByRole('link', { name: words.change }).getAttribute('href')).resolves.toBe(CHANGE_URL);
    await sweep.check(page, 'directory-password');
    saveViolations(`directory-${locale}.json`, sweep.violations);
    await context.close();
    expect(describeViolations(sweep.violations)).toBe('');
  });
});

describe('A site that leaves two-step verification to the directory', () => {
  let strict: Site;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    strict = await openSite({ ...slapd.env(), LDAP_ALLOW_LOCAL_2FA: 'false' });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await strict?.close();
  });

  it('says so on the Security tab, with nothing to turn on', async () => {
    context = await newContext(strict);
    const page = await context.newPage();
    await signIn(strict, page, ada);
    const violations: Violation[] = [];
    for (const theme of THEMES) {
      await context.addCookies([{ name: 'theme', value: theme, url: strict.baseUrl }]);
      // The notice is the Password tab's, whose colours the sweep above checks in every theme.
      const sweep = new Sweep(theme, { axe: theme === THEMES[0] ? 'all' : 'none' });
      await sweep.visit(page, strict.baseUrl, '/profile/security', 'directory-security-no-two-step');
      violations.push(...sweep.violations);
    }
    await expect(page.locator('main [role=note]').textContent()).resolves.toContain("Your organisation's directory provides two-step verification");
    await expect(page.getByRole('link', { name: 'Set up an authenticator app' }).count()).resolves.toBe(0);
    await expect(page.locator('[data-passkey=register]').count()).resolves.toBe(0);
    saveViolations('directory-security.json', violations);
    expect(describeViolations(violations)).toBe('');
  });
});
