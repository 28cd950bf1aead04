/// <reference lib="dom" />
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { GOOD_PASSWORD, createUser, signedIn } from '../helpers/factories';
import { solidPng } from '../helpers/images';
import { enrolTotp } from '../helpers/mfa';
import { NARROW, THEMES, WIDE, horizontalOverflow, newContext, openSite, shoot, signInThroughForm, type Site } from './browser';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => site?.close());

const TABS = ['account', 'password', 'preferences', 'security', 'sessions', 'activity', 'tokens', 'app-passwords', 'keys', 'data', 'delete'];
/** On a phone 800 pixels tall, a tab's first form must start in the top half of the screen. */
const FIRST_SCREEN_BOUND = 400;

const person = (language: 'en' | 'de' = 'en') => createUser(site.t, { password: GOOD_PASSWORD, firstName: 'Ana', lastName: 'Petrović', language });

/** Where an element's top edge is, in pixels from the top of the page. */
const topOf = (page: Page, selector: string) => page.locator(selector).first().evaluate((el) => el.getBoundingClientRect().top + window.scrollY);

describe('The profile tabs on a narrow screen (375 x 800)', () => {
  it('start every tab\'s heading and first form within the first screen, the sections behind one compact menu', async () => {
    const user = await person();
    const context = await newContext(site, { viewport: NARROW });
    const page = await context.newPage();
    await signInThroughForm(site, page, user);
    for (const tab of TABS) {
      await page.goto(`${site.baseUrl}/profile/${tab}`);
      expect(await page.locator('nav.tabs').isVisible()).toBe(false);
      expect(await page.locator('.section-menu__toggle').isVisible()).toBe(true);
      const heading = await topOf(page, '.profile__body h1');
      const content = await topOf(page, '.profile__body h1 ~ :not(.flash-list):not(.step-up-note)');
      expect({ tab, heading: heading < 260, content: content < FIRST_SCREEN_BOUND }).toEqual({ tab, heading: true, content: true });
      expect({ tab, overflow: await horizontalOverflow(page) }).toEqual({ tab, overflow: 0 });
    }
    await page.goto(`${site.baseUrl}/profile/keys`);
    await shoot(page, 'layout-profile-menu-closed-narrow');
    await context.close();
  });

  it('switch tabs through the menu without JavaScript, keeping the current tab marked', async () => {
    const user = await person('de');
    const context = await newContext(site, { viewport: NARROW, javaScript: false, locale: 'de' });
    const page = await context.newPage();
    await signInThroughForm(site, page, user);
    await page.goto(`${site.baseUrl}/profile/account`);
    await page.locator('.section-menu__toggle').click();
    const menu = page.locator('.section-menu nav');
    expect(await menu.locator('a[aria-current="page"]').innerText()).toBe('Konto');
    await shoot(page, 'layout-profile-menu-open-de-narrow');
    await menu.getByRole('link', { name: 'SSH-Schlüssel' }).click();
    await page.waitForURL(`${site.baseUrl}/profile/keys`);
    expect(await page.locator('.section-menu__current').innerText()).toContain('SSH-Schlüssel');
    expect(await page.locator('h1').innerText()).toBe('SSH-Schlüssel');
    await context.close();
  });
});

describe('The profile tabs on a wide screen', () => {
  it('sit in a sidebar under four group headings, each with an icon, beside a header naming the person', async () => {
    const user = await person();
    const context = await newContext(site, { viewport: WIDE });
    const page = await context.newPage();
    await signInThroughForm(site, page, user);
    await page.goto(`${site.baseUrl}/profile/sessions`);
    const sidebar = page.locator('nav.tabs');
    expect(await sidebar.isVisible()).toBe(true);
    expect(await page.locator('.section-menu').isVisible()).toBe(false);
    expect(await sidebar.locator('.tabs__heading').allInnerTexts()).toEqual(['Profile', 'Security', 'Access', 'Your data']);
    expect(await sidebar.locator('a .icon').count()).toBe(12);
    expect(await sidebar.locator('a[aria-current="page"]').innerText()).toBe('Sessions');
    // The icons are drawn from the sprite on the page: each has a size, and no request leaves the site.
    const box = await sidebar.locator('a .icon').first().boundingBox();
    expect(box?.width).toBeGreaterThan(12);
    expect(await page.locator('.profile__header').innerText()).toMatch(/Ana Petrović\s*· @\S+\s+Your personal account/);
    const sidebarBox = await sidebar.boundingBox();
    const bodyBox = await page.locator('.profile__body').boundingBox();
    expect((sidebarBox?.x ?? 0) + (sidebarBox?.width ?? 0)).toBeLessThanOrEqual(bodyBox?.x ?? 0);
    await shoot(page, 'layout-profile-sidebar-wide');
    await context.close();
  });

  it.each(THEMES)('keep text at a contrast of at least 4.5:1 in the %s theme, at both widths', async (theme) => {
    const user = await person();
    for (const viewport of [WIDE, NARROW]) {
      const context = await newContext(site, { theme, viewport });
      const page = await context.newPage();
      await signInThroughForm(site, page, user);
      for (const tab of ['password', 'data']) {
        await page.goto(`${site.baseUrl}/profile/${tab}`);
        if (viewport === NARROW) await page.locator('.section-menu__toggle').click();
        const result = await new AxeBuilder({ page }).withRules(['color-contrast']).analyze();
        const failures = result.violations.flatMap((v) => v.nodes.map((n) => n.target.join(' ')));
        expect({ theme, tab, width: viewport.width, failures }).toEqual({ theme, tab, width: viewport.width, failures: [] });
        await shoot(page, `layout-profile-${tab}-${theme}-${viewport.width}`);
      }
      await context.close();
    }
  });
});

describe('The signed-out header on a 320-pixel screen', () => {
  it.each(['de', 'sr-Cyrl', 'en'])('fits without sideways scrolling in %s on the sign-in, sign-up and forgotten-password pages', async (locale) => {
    const context = await newContext(site, { locale, viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    for (const url of ['/login', '/signup', '/forgot-password', '/']) {
      await page.goto(`${site.baseUrl}${url}`);
      await page.evaluate(() => document.fonts.ready);
      expect({ url, overflow: await horizontalOverflow(page) }).toEqual({ url, overflow: 0 });
      const header = await page.locator('.site-header').boundingBox();
      expect(header?.width).toBeLessThanOrEqual(320);
    }
    await shoot(page, `layout-header-320-${locale}`);
    await context.close();
  });

  it.each(['DejaVu Sans', 'Liberation Serif', 'monospace'])('fits in German and Serbian with the text a quarter larger, even in %s', async (family) => {
    for (const locale of ['de', 'sr-Cyrl']) {
      const context = await newContext(site, { locale, viewport: { width: 320, height: 640 } });
      const page = await context.newPage();
      await page.goto(`${site.baseUrl}/forgot-password`);
      // As a person who set a bigger default text size, or whose machine draws with another font.
      await page.evaluate((font) => {
        document.documentElement.style.fontSize = '125%';
        document.body.style.fontFamily = font;
      }, family);
      const right = await page.locator('.site-header').evaluate((header) => Math.max(...[...header.querySelectorAll('*')].map((el) => el.getBoundingClientRect().right)));
      expect({ locale, family, right: right <= 320 }).toEqual({ locale, family, right: true });
      expect(await page.locator('.site-header').evaluate((header) => header.scrollWidth - header.clientWidth)).toBe(0);
      await shoot(page, `layout-header-320-${locale}-${family.replace(/\s/g, '-')}`);
      await context.close();
    }
  });

  it('is drawn in the font shipped with the site, whatever fonts the machine has', async () => {
    const context = await newContext(site, { locale: 'sr-Cyrl' });
    const page = await context.newPage();
    const fontRequests: string[] = [];
    page.on('request', (request) => { if (request.resourceType() === 'font') fontRequests.push(request.url()); });
    await page.goto(`${site.baseUrl}/forgot-password`);
    await page.evaluate(() => document.fonts.ready);
    expect(await page.locator('body').evaluate((el) => getComputedStyle(el).fontFamily)).toMatch(/^"?Inter"?,/);
    const loaded = await page.evaluate(() => [...document.fonts].filter((f) => f.family.replace(/"/g, '') === 'Inter' && f.status === 'loaded').length);
    expect(loaded).toBeGreaterThanOrEqual(1);
    expect(await page.evaluate(() => document.fonts.check('16px Inter', 'Пријава'))).toBe(true);
    expect(fontRequests.length).toBeGreaterThan(0);
    for (const url of fontRequests) expect(url.startsWith(`${site.baseUrl}/assets/fonts/`)).toBe(true);
    await context.close();
  });
});

describe('Rough edges of the profile pages', () => {
  it('leaves room between "Save preferences" and the email notices below it', async () => {
    const user = await person();
    const context = await newContext(site, { viewport: WIDE });
    const page = await context.newPage();
    await signInThroughForm(site, page, user);
    await page.goto(`${site.baseUrl}/profile/preferences`);
    const button = await page.getByRole('button', { name: 'Save preferences' }).boundingBox();
    const next = await page.locator('form[action="/profile/preferences/notices"]').boundingBox();
    expect((next?.y ?? 0) - ((button?.y ?? 0) + (button?.height ?? 0))).toBeGreaterThanOrEqual(24);
    await context.close();
  });

  it.each(['en', 'de'] as const)('keeps the two buttons of the delete page on one line at 1280 pixels in %s', async (language) => {
    const user = await person(language);
    const context = await newContext(site, { viewport: WIDE, locale: language });
    const page = await context.newPage();
    await signInThroughForm(site, page, user);
    await page.goto(`${site.baseUrl}/profile/delete`);
    const [submit, cancel] = await Promise.all([page.locator('.delete-form button[type=submit]').boundingBox(), page.locator('.delete-form .form-actions a').boundingBox()]);
    expect(submit?.y).toBe(cancel?.y);
    await shoot(page, `layout-delete-${language}-wide`);
    await context.close();
  });

  it.each([true, false])('offers the picture upload in the page\'s language, with JavaScript %s', async (javaScript) => {
    const user = await person('de');
    const context = await newContext(site, { viewport: NARROW, locale: 'de', javaScript });
    const page = await context.newPage();
    await signInThroughForm(site, page, user);
    await page.goto(`${site.baseUrl}/profile/account`);
    const picker = page.locator('.file-picker');
    expect(await picker.innerText()).toContain('Datei auswählen');
    expect(await page.locator('main').innerText()).not.toMatch(/Choose file|No file chosen|Browse/);
    await page.locator('#field-avatar').setInputFiles({ name: 'urlaub.png', mimeType: 'image/png', buffer: await solidPng(200, 200, { r: 20, g: 120, b: 60 }) });
    if (javaScript) expect(await picker.innerText()).toContain('urlaub.png');
    // The hidden input is still reached with the keyboard, and its label shows the focus.
    await page.locator('#field-avatar').focus();
    expect(await page.locator('.file-picker__button').evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
    await page.getByRole('button', { name: 'Bild hochladen' }).click();
    await page.getByText('Ihr Bild wurde aktualisiert.').waitFor();
    await context.close();
  });
});

describe('The second step of signing in', () => {
  it.each([true, false])('has no "Sign in" or "Create account" in the header, and "Cancel sign-in" ends it (JavaScript %s)', async (javaScript) => {
    const user = await person();
    await enrolTotp(site.t, await signedIn(site.t, user));
    const context = await newContext(site, { viewport: NARROW, javaScript });
    const page = await context.newPage();
    await page.goto(`${site.baseUrl}/login`);
    await page.locator('#field-identifier').fill(user.username);
    await page.locator('#field-password').fill(user.password);
    await page.locator('form[action="/login"] button[type=submit]').click();
    await page.waitForURL(`${site.baseUrl}/login/2fa`);
    expect(await page.locator('.site-header').innerText()).not.toMatch(/Sign in|Create account/);
    await shoot(page, `layout-second-factor-${javaScript ? 'js' : 'nojs'}-narrow`);
    await page.getByRole('button', { name: 'Cancel sign-in' }).click();
    await page.waitForURL(`${site.baseUrl}/login?signed_out=1`);
    await page.goto(`${site.baseUrl}/login/2fa`);
    await page.waitForURL(`${site.baseUrl}/login`);
    await context.close();
  });
});
