/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { GOOD_PASSWORD, createUser } from '../helpers/factories';
import { solidPng } from '../helpers/images';
import { NARROW, THEMES, horizontalOverflow, newContext, openSite, shoot, type Site } from './browser';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => site?.close());

async function signIn(page: Page, username: string) {
  await page.goto(`${site.baseUrl}/login`);
  await page.locator('#field-identifier').fill(username);
  await page.locator('#field-password').fill(GOOD_PASSWORD);
  await page.locator('form[action="/login"] button[type=submit]').click();
  await page.waitForURL(`${site.baseUrl}/`);
}

const TABS = ['account', 'password', 'preferences'];

describe('The profile page in the browser', () => {
  it('uploads a picture that then shows in the header, and shows a live strength hint', async () => {
    const user = await createUser(site.t, { password: GOOD_PASSWORD });
    const context = await newContext(site);
    const page = await context.newPage();
    await signIn(page, user.username);
    await page.goto(`${site.baseUrl}/profile/account`);
    await page.locator('#field-avatar').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: await solidPng(400, 300, { r: 200, g: 90, b: 40 }) });
    await page.getByRole('button', { name: 'Upload picture' }).click();
    await page.getByText('Your picture has been updated.').waitFor();
    expect(await page.locator('.user-menu__toggle img').count()).toBe(1);
    expect(await page.locator('.user-menu__toggle img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(96);

    await page.goto(`${site.baseUrl}/profile/password`);
    await page.locator('#field-password').fill('password1234');
    await page.locator('.strength__text').filter({ hasText: 'data breach' }).waitFor();
    await page.locator('#field-password').fill('lighthouse quiet mango 64');
    await page.locator('.strength__text').filter({ hasText: 'This password meets the rules.' }).waitFor();
    // The meter is built with DOM methods: a four-part bar, a live region, the verdict in bold.
    const meter = page.locator('.strength');
    expect(await meter.getAttribute('aria-live')).toBe('polite');
    expect(await meter.locator('.strength__bar[aria-hidden="true"] > span').count()).toBe(4);
    expect(Number(await meter.getAttribute('data-score'))).toBeGreaterThanOrEqual(3);
    expect(await meter.locator('.strength__text > strong').count()).toBe(1);
    await shoot(page, 'profile-password-strength');
    await context.close();
  });

  it.each(THEMES)('every tab in the %s theme, wide and narrow, without overflow', async (theme) => {
    const user = await createUser(site.t, { password: GOOD_PASSWORD, firstName: 'Konstantin', lastName: 'Oberhausen-Wittgenstein', email: `very.long.address.for.testing.${theme}@subdomain.example.com` });
    await site.t.deps.db('users').where({ id: user.id }).update({ recovery_email: 'backup.address@example.org' });
    for (const [size, viewport] of [['wide', undefined], ['narrow', NARROW]] as const) {
      const context = await newContext(site, { theme, viewport });
      const page = await context.newPage();
      await signIn(page, user.username);
      for (const tab of TABS) {
        await page.goto(`${site.baseUrl}/profile/${tab}`);
        await shoot(page, `profile-${tab}-${theme}-${size}`);
        expect({ tab, overflow: await horizontalOverflow(page) }).toEqual({ tab, overflow: 0 });
      }
      await context.close();
    }
  });

  it.each(['de', 'sr-Cyrl'])('every tab in %s, with nothing left untranslated', async (locale) => {
    const user = await createUser(site.t, { password: GOOD_PASSWORD, language: locale as 'de' });
    const context = await newContext(site, { locale, viewport: NARROW });
    const page = await context.newPage();
    await signIn(page, user.username);
    for (const tab of TABS) {
      await page.goto(`${site.baseUrl}/profile/${tab}`);
      await shoot(page, `profile-${tab}-${locale}-narrow`);
      expect(await horizontalOverflow(page)).toBe(0);
      const text = await page.locator('main').innerText();
      for (const english of ['Profile picture', 'Email address', 'Change password', 'Save', 'Theme', 'Language']) {
        expect({ tab, english, found: text.includes(english) }).toEqual({ tab, english, found: false });
      }
    }
    await page.goto(`${site.baseUrl}/reauth?next=/profile/account`);
    await shoot(page, `reauth-${locale}-narrow`);
    await context.close();
  });

  it('the locked profile, wide', async () => {
    const locked = await openSite({ PROFILE_LOCKED: 'true' });
    try {
      const user = await createUser(locked.t, { password: GOOD_PASSWORD });
      const context = await newContext(locked);
      const page = await context.newPage();
      await page.goto(`${locked.baseUrl}/login`);
      await page.locator('#field-identifier').fill(user.username);
      await page.locator('#field-password').fill(GOOD_PASSWORD);
      await page.locator('form[action="/login"] button[type=submit]').click();
      await page.goto(`${locked.baseUrl}/profile/account`);
      await shoot(page, 'profile-account-locked');
      expect(await page.getByText('Your administrator manages these details.').count()).toBeGreaterThan(0);
      await context.close();
    } finally {
      await locked.close();
    }
  });
});
