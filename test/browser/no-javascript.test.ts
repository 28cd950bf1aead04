/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { GOOD_PASSWORD, createUser } from '../helpers/factories';
import { totpAt } from '../helpers/totp';
import { newContext, openSite, signInThroughForm, type Site } from './browser';

let site: Site;
beforeAll(async () => {
  site = await openSite({}, { hostname: 'localhost' });
});
afterAll(async () => site?.close());

/** Visible buttons that would do nothing here: script-only buttons (type="button") and buttons outside any form. */
async function deadButtons(page: Page): Promise<string[]> {
  return page.$$eval('button', (buttons) =>
    buttons
      .filter((button) => button.getClientRects().length > 0 && getComputedStyle(button).visibility !== 'hidden')
      .filter((button) => button.type !== 'submit' || !button.form)
      .map((button) => (button.textContent ?? '').trim() || button.outerHTML.slice(0, 80)),
  );
}

describe('Without JavaScript', () => {
  it('every visible button does something, on every profile tab and the recovery codes page', async () => {
    const user = await createUser(site.t, { password: GOOD_PASSWORD });
    const context = await newContext(site, { javaScript: false });
    const page = await context.newPage();
    await signInThroughForm(site, page, { username: user.username, password: GOOD_PASSWORD });
    const dead: Record<string, string[]> = {};
    for (const path of ['/', '/profile/account', '/profile/password', '/profile/preferences', '/profile/sessions', '/profile/security', '/profile/tokens', '/profile/app-passwords', '/profile/keys', '/profile/activity', '/profile/data']) {
      await page.goto(`${site.baseUrl}${path}`);
      const found = await deadButtons(page);
      if (found.length > 0) dead[path] = found;
    }
    // New recovery codes, shown with Copy, Download and Print.
    const { secret, sealed } = site.t.services.mfa.beginTotpEnrolment(user);
    await site.t.services.mfa.enableTotp(user, sealed, totpAt(secret, site.t.clock.now()), { ip: '127.0.0.1', userAgent: 'test', locale: 'en' }, false);
    await page.goto(`${site.baseUrl}/profile/security`);
    await page.locator('form[action="/profile/security/recovery-codes"] button[type=submit]').click();
    await page.waitForURL(`${site.baseUrl}/profile/security/recovery-codes`);
    const onCodes = await deadButtons(page);
    if (onCodes.length > 0) dead['/profile/security/recovery-codes'] = onCodes;
    await context.close();
    expect(dead).toEqual({});
  });
});
