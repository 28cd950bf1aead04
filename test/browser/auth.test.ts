/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { GOOD_PASSWORD, createUser } from '../helpers/factories';
import { NARROW, THEMES, horizontalOverflow, newContext, openSite, shoot, type Site } from './browser';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => site?.close());

async function signUp(page: Page, username: string) {
  await page.goto(`${site.baseUrl}/signup`);
  await page.getByLabel('First name').fill('Jane');
  await page.getByLabel('Last name').fill('Doe');
  await page.getByLabel('Email address').fill(`${username}@example.com`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(GOOD_PASSWORD);
  await page.getByLabel('Confirm password').fill(GOOD_PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${site.baseUrl}/`);
}

async function logOut(page: Page) {
  await page.locator('summary.user-menu__toggle').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login\?signed_out=1$/);
}

async function signIn(page: Page, identifier: string) {
  await page.goto(`${site.baseUrl}/login`);
  await page.getByLabel('Username or email address').fill(identifier);
  await page.getByLabel('Password', { exact: true }).fill(GOOD_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(`${site.baseUrl}/`);
}

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('A person %s', (_label, javaScript) => {
  it('signs up, logs out and signs in again', async () => {
    const context = await newContext(site, { javaScript });
    const page = await context.newPage();
    const username = javaScript ? 'browser.js' : 'browser.nojs';
    await signUp(page, username);
    await expectText(page, 'Hello, Jane!');
    await logOut(page);
    await expectText(page, 'You have logged out.');
    await signIn(page, `${username}@example.com`);
    await expectText(page, 'Hello, Jane!');
    await context.close();
  });

  it('sees what went wrong, beside each field, when the form is incomplete', async () => {
    const context = await newContext(site, { javaScript });
    const page = await context.newPage();
    await page.goto(`${site.baseUrl}/signup`);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expectText(page, 'There is a problem');
    await expectText(page, 'Enter your first name');
    if (javaScript) expect(await page.evaluate(() => document.activeElement?.className)).toContain('error-summary');
    await shoot(page, `signup-errors${javaScript ? '' : '-nojs'}`);
    await context.close();
  });
});

describe('Keyboard use of the account menu', () => {
  it('opens with Enter and closes with Escape, without a mouse', async () => {
    const user = await createUser(site.t, { password: GOOD_PASSWORD });
    const context = await newContext(site);
    const page = await context.newPage();
    await signIn(page, user.username);
    await page.locator('summary.user-menu__toggle').focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('details.user-menu').getAttribute('open')).not.toBeNull();
    await page.keyboard.press('Escape');
    expect(await page.locator('details.user-menu').getAttribute('open')).toBeNull();
    await context.close();
  });
});

describe('Screenshots of the sign-in, sign-up and home pages', () => {
  it.each(THEMES)('in the %s theme, wide and narrow', async (theme) => {
    const user = await createUser(site.t, { password: GOOD_PASSWORD, firstName: 'Aleksandra', lastName: 'Petrović-Vasiljević' });
    for (const [size, viewport] of [['wide', undefined], ['narrow', NARROW]] as const) {
      const context = await newContext(site, { theme, viewport });
      const page = await context.newPage();
      await page.goto(`${site.baseUrl}/login`);
      await shoot(page, `login-${theme}-${size}`);
      expect(await horizontalOverflow(page)).toBe(0);
      await page.goto(`${site.baseUrl}/signup`);
      await shoot(page, `signup-${theme}-${size}`);
      expect(await horizontalOverflow(page)).toBe(0);
      await signIn(page, user.username);
      await shoot(page, `home-${theme}-${size}`);
      expect(await horizontalOverflow(page)).toBe(0);
      await page.locator('summary.user-menu__toggle').click();
      await shoot(page, `home-menu-${theme}-${size}`);
      await context.close();
    }
  });

  it.each(['de', 'sr', 'sr-Cyrl'])('in %s', async (locale) => {
    const context = await newContext(site, { locale, viewport: NARROW });
    const page = await context.newPage();
    await page.goto(`${site.baseUrl}/signup`);
    await shoot(page, `signup-${locale}-narrow`);
    expect(await horizontalOverflow(page)).toBe(0);
    await page.goto(`${site.baseUrl}/no-such-page`);
    await shoot(page, `not-found-${locale}-narrow`);
    await context.close();
  });
});

async function expectText(page: Page, text: string) {
  await page.getByText(text, { exact: false }).first().waitFor({ timeout: 5000 });
}
