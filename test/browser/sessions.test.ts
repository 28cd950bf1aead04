/// <reference lib="dom" />
import { USER_AGENTS } from '../helpers/browser-agent';
import { GOOD_PASSWORD, createUser, signedIn } from '../helpers/factories';
import { NARROW, THEMES, horizontalOverflow, newContext, openSite, shoot, type Site } from './browser';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => site?.close());

describe('The Sessions tab in the browser', () => {
  it.each(THEMES)('shows three sessions in the %s theme, wide and narrow', async (theme) => {
    for (const [size, viewport] of [['wide', undefined], ['narrow', NARROW]] as const) {
      const user = await createUser(site.t, { password: GOOD_PASSWORD, firstName: 'Milica', lastName: 'Jovanović' });
      await signedIn(site.t, user, USER_AGENTS.iphoneSafari);
      await signedIn(site.t, user, USER_AGENTS.firefoxLinuxArm);
      const context = await newContext(site, { theme, viewport });
      const page = await context.newPage();
      await page.goto(`${site.baseUrl}/login`);
      await page.locator('#field-identifier').fill(user.username);
      await page.locator('#field-password').fill(GOOD_PASSWORD);
      await page.locator('form[action="/login"] button[type=submit]').click();
      await page.waitForURL(`${site.baseUrl}/`);
      await page.goto(`${site.baseUrl}/profile/sessions`);
      expect(await page.locator('.session').count()).toBe(3);
      expect(await page.locator('.session').first().innerText()).toContain('This device');
      await shoot(page, `profile-sessions-${theme}-${size}`);
      expect(await horizontalOverflow(page)).toBe(0);
      await context.close();
    }
  });

  it('signs out another device with one click after confirming identity', async () => {
    const user = await createUser(site.t, { password: GOOD_PASSWORD, language: 'de' });
    await signedIn(site.t, user, USER_AGENTS.iphoneSafari);
    const context = await newContext(site, { locale: 'de' });
    const page = await context.newPage();
    await page.goto(`${site.baseUrl}/login`);
    await page.locator('#field-identifier').fill(user.username);
    await page.locator('#field-password').fill(GOOD_PASSWORD);
    await page.locator('form[action="/login"] button[type=submit]').click();
    await page.waitForURL(`${site.baseUrl}/`);
    await page.goto(`${site.baseUrl}/profile/sessions`);
    await page.locator('.session:not(.session--current) .confirm > summary').click();
    await page.locator('.session:not(.session--current) button[type=submit]').click();
    await page.getByText('Dieses Gerät wurde abgemeldet.').waitFor();
    expect(await page.locator('.session').count()).toBe(1);
    await shoot(page, 'profile-sessions-de-after-revoke');
    await context.close();
  });
});
