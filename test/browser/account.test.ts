/// <reference lib="dom" />
import { LOCKDOWN_LINK_MS } from '../../src/core/security/security-notices';
import { createOneTimeLinks } from '../../src/core/one-time-links/one-time-links';
import type { User } from '../../src/core/users/user';
import { USER_AGENTS } from '../helpers/browser-agent';
import { GOOD_PASSWORD, createUser, signedIn } from '../helpers/factories';
import { NARROW, THEMES, horizontalOverflow, newContext, openSite, shoot, signInThroughForm, type Site } from './browser';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => site?.close());

const ctx = { ip: '203.0.113.20', userAgent: 'backup-script/1.2 (linux)', locale: 'en' as const };

/** Someone with a few weeks of history: sign-ins from several devices, tokens, a refused call. */
async function personWithHistory(language: 'en' | 'de' | 'sr' = 'en'): Promise<User> {
  const { t } = site;
  const user = await createUser(t, { password: GOOD_PASSWORD, firstName: 'Milica', lastName: 'Jovanović', language });
  await signedIn(t, user, USER_AGENTS.iphoneSafari);
  await signedIn(t, user, USER_AGENTS.firefoxLinuxArm);
  const { token } = await t.services.apiTokens.create(user, { name: 'Nightly backup', scope: 'read', expires: '90', allowedIps: '192.0.2.0/24' }, ctx);
  await t.services.apiTokens.revoke(user, token.id, ctx);
  await t.services.appPasswords.create(user, { name: 'Calendar on my phone', scope: 'read' }, ctx);
  return user;
}

describe('Activity, data and deletion in the browser', () => {
  it.each(THEMES)('are readable in the %s theme, wide and narrow', async (theme) => {
    for (const [size, viewport] of [['wide', undefined], ['narrow', NARROW]] as const) {
      const user = await personWithHistory();
      const context = await newContext(site, { theme, viewport });
      const page = await context.newPage();
      await signInThroughForm(site, page, { username: user.username, password: GOOD_PASSWORD });
      await page.goto(`${site.baseUrl}/profile/activity`);
      expect(await page.locator('.activity').count()).toBeGreaterThan(4);
      await shoot(page, `profile-activity-${theme}-${size}`);
      expect(await horizontalOverflow(page)).toBe(0);
      await page.goto(`${site.baseUrl}/profile/data`);
      await shoot(page, `profile-data-${theme}-${size}`);
      expect(await horizontalOverflow(page)).toBe(0);
      await page.goto(`${site.baseUrl}/profile/delete`);
      await shoot(page, `profile-delete-${theme}-${size}`);
      expect(await horizontalOverflow(page)).toBe(0);
      await context.close();
    }
  });

  it('filters the activity as soon as a kind is chosen (German)', async () => {
    const user = await personWithHistory('de');
    const context = await newContext(site, { locale: 'de' });
    const page = await context.newPage();
    await signInThroughForm(site, page, { username: user.username, password: GOOD_PASSWORD });
    await page.goto(`${site.baseUrl}/profile/activity`);
    await page.locator('#activity-kind').selectOption('token_created');
    await page.waitForURL(/kind=token_created/);
    expect(await page.locator('.activity').count()).toBe(1);
    expect(await page.locator('.activity').first().innerText()).toContain('Token erstellt');
    await shoot(page, 'profile-activity-de-filtered');
    await context.close();
  });

  it('downloads the data file', async () => {
    const user = await personWithHistory();
    const context = await newContext(site);
    const page = await context.newPage();
    await signInThroughForm(site, page, { username: user.username, password: GOOD_PASSWORD });
    await page.goto(`${site.baseUrl}/profile/data`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[href="/profile/data/export"]').click()]);
    expect(download.suggestedFilename()).toBe('atrium-my-data.json');
    await context.close();
  });

  it('deletes the account and says so on the sign-in page (Serbian, narrow, no JavaScript)', async () => {
    const user = await personWithHistory('sr');
    const context = await newContext(site, { locale: 'sr', javaScript: false, viewport: NARROW });
    const page = await context.newPage();
    await signInThroughForm(site, page, { username: user.username, password: GOOD_PASSWORD });
    await page.goto(`${site.baseUrl}/profile/delete`);
    await page.locator('#field-confirm_username').fill('nije-moje-ime');
    await page.locator('form[action="/profile/delete"] button[type=submit]').click();
    await page.locator('.field--error').first().waitFor();
    await shoot(page, 'profile-delete-error-sr-narrow');
    await page.locator('#field-confirm_username').fill(user.username);
    await page.locator('form[action="/profile/delete"] button[type=submit]').click();
    await page.waitForURL(`${site.baseUrl}/login`);
    expect(await page.content()).toContain('Vaš nalog je obrisan.');
    await shoot(page, 'login-after-deletion-sr-narrow');
    await context.close();
  });

  it('shows the "This wasn\'t me" page and its result', async () => {
    const { t } = site;
    const user = await personWithHistory();
    // A link as a notice carries it (the browser suite has no mail server to read it from).
    const links = createOneTimeLinks({ repos: t.repos, clock: t.clock });
    const token = await t.repos.transaction((tx) => links.issue(tx, { purpose: 'lockdown', userId: user.id, lifetimeMs: LOCKDOWN_LINK_MS }));
    const context = await newContext(site, { viewport: NARROW });
    const page = await context.newPage();
    await page.goto(`${site.baseUrl}/not-me/${token}`);
    await shoot(page, 'not-me-narrow');
    expect(await horizontalOverflow(page)).toBe(0);
    await page.locator('form[action^="/not-me/"] button[type=submit]').click();
    await page.getByText('Your account is secured').waitFor();
    await shoot(page, 'not-me-done-narrow');
    expect(await horizontalOverflow(page)).toBe(0);
    await context.close();
  });
});
