/// <reference lib="dom" />
import type { BrowserContext, Page } from 'playwright-core';
import { GOOD_PASSWORD, createUser } from '../helpers/factories';
import { totpAt } from '../helpers/totp';
import { NARROW, THEMES, horizontalOverflow, newContext, openSite, shoot, type Site } from './browser';

let site: Site;
beforeAll(async () => {
  site = await openSite({}, { hostname: 'localhost' });
});
afterAll(async () => site?.close());

async function signIn(page: Page, username: string) {
  await page.goto(`${site.baseUrl}/login`);
  await page.locator('#field-identifier').fill(username);
  await page.locator('#field-password').fill(GOOD_PASSWORD);
  await page.locator('form[action="/login"] button[type=submit]').click();
}

async function virtualAuthenticator(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
}

describe('Passkeys in Chromium (virtual authenticator)', () => {
  it('registers a passkey, signs out, signs in with it without a password, and removes it', async () => {
    const user = await createUser(site.t, { password: GOOD_PASSWORD });
    const context = await newContext(site);
    const page = await context.newPage();
    await virtualAuthenticator(context, page);
    await signIn(page, user.username);
    await page.waitForURL(`${site.baseUrl}/`);

    await page.goto(`${site.baseUrl}/profile/security`);
    await page.locator('[data-passkey-name]').fill('Test laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.waitForURL(`${site.baseUrl}/profile/security/recovery-codes`);
    await page.getByText('The passkey "Test laptop" has been added.').waitFor();
    await shoot(page, 'mfa-recovery-codes-first-passkey');
    await page.getByLabel('I have saved my recovery codes somewhere safe').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('Your recovery codes are saved.').waitFor();
    expect(await page.locator('.passkey').innerText()).toContain('Test laptop');

    await page.locator('summary.user-menu__toggle').click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.waitForURL(`${site.baseUrl}/`);
    await page.getByText('Hello, Jane!').waitFor();

    await page.goto(`${site.baseUrl}/profile/security`);
    await page.locator('.passkey__remove > summary').click();
    expect(await page.getByLabel('Also sign out all my other sessions').last().isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Remove the passkey Test laptop' }).click();
    await page.getByText('The passkey has been removed.').waitFor();
    expect(await page.locator('.passkey').count()).toBe(0);
    await context.close();
  });
});

describe('Two-step verification screens', () => {
  it.each(THEMES)('in the %s theme: enrolment with its QR code, recovery codes, the sign-in prompt, the passkey list', async (theme) => {
    const user = await createUser(site.t, { password: GOOD_PASSWORD });
    for (const [size, viewport] of [['wide', undefined], ['narrow', NARROW]] as const) {
      const context = await newContext(site, { theme, viewport });
      const page = await context.newPage();
      await signIn(page, user.username);
      if (size === 'wide') {
        await page.goto(`${site.baseUrl}/profile/security`);
        await shoot(page, `mfa-security-off-${theme}`);
        await page.goto(`${site.baseUrl}/profile/security/totp`);
        await shoot(page, `mfa-totp-setup-${theme}-${size}`);
        expect(await horizontalOverflow(page)).toBe(0);
        const secret = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '');
        await page.locator('#field-code').fill(totpAt(secret, site.t.clock.now()));
        await page.locator('form[action="/profile/security/totp"] button[type=submit]').click();
        await page.waitForURL(/recovery-codes$/);
        await shoot(page, `mfa-recovery-codes-${theme}-${size}`);
        await page.locator('#field-saved').check();
        await page.locator('form[action="/profile/security/recovery-codes/saved"] button[type=submit]').click();
        await page.waitForURL(/\/profile\/security$/);
        site.t.clock.advance(30_000);
        await site.t.repos.authenticators.insertPasskey(user.id, { name: 'iCloud Keychain', credentialId: `cred-${theme}`, publicKey: 'x', counter: 0, transports: [], aaguid: '' }, site.t.clock.now());
        await page.goto(`${site.baseUrl}/profile/security`);
        await shoot(page, `mfa-security-on-${theme}-${size}`);
        expect(await horizontalOverflow(page)).toBe(0);
      } else {
        await page.waitForURL(/\/login\/2fa$/);
        await shoot(page, `mfa-prompt-${theme}-${size}`);
        expect(await horizontalOverflow(page)).toBe(0);
        await page.goto(`${site.baseUrl}/login/2fa?method=recovery`);
        await shoot(page, `mfa-prompt-recovery-${theme}-${size}`);
      }
      await context.close();
    }
  });
});
