/// <reference lib="dom" />
import crypto from 'node:crypto';
import type { User } from '../../src/core/users/user';
import { GOOD_PASSWORD, createUser } from '../helpers/factories';
import { NARROW, THEMES, horizontalOverflow, newContext, openSite, shoot, signInThroughForm, type Site } from './browser';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => site?.close());

const ctx = { ip: '203.0.113.20', userAgent: 'backup-script/1.2 (linux)', locale: 'en' as const };

/** An Ed25519 public key line, as ~/.ssh/id_ed25519.pub holds it. */
function ed25519PublicKey(comment: string): string {
  const raw = Buffer.from(crypto.generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  const field = (bytes: Buffer) => Buffer.concat([Buffer.alloc(4, 0), bytes]).fill(0, 0, 0);
  const withLength = (bytes: Buffer) => {
    const out = field(bytes);
    out.writeUInt32BE(bytes.length, 0);
    return out;
  };
  return `ssh-ed25519 ${Buffer.concat([withLength(Buffer.from('ssh-ed25519')), withLength(raw)]).toString('base64')} ${comment}`;
}

/** Someone with a few credentials of each kind, so that the lists have something to show. */
async function personWithCredentials(language: 'en' | 'de' | 'sr-Cyrl' = 'en'): Promise<User> {
  const { t } = site;
  const user = await createUser(t, { password: GOOD_PASSWORD, firstName: 'Milica', lastName: 'Jovanović', language });
  const { token } = await t.services.apiTokens.create(user, { name: 'Nightly backup of the family photo archive', scope: 'read', expires: '90', allowedIps: '203.0.113.0/24, 2001:db8::/32' }, ctx);
  await t.services.apiAccess.bearer((await t.services.apiTokens.regenerate(user, token.id, ctx)).secret, ctx);
  await t.services.apiTokens.create(user, { name: 'Deploy', scope: 'write', expires: '7' }, ctx);
  await t.services.appPasswords.create(user, { name: 'Calendar on my phone', scope: 'read' }, ctx);
  await t.services.sshKeys.add(user, { title: 'Work laptop', key: ed25519PublicKey('milica@work-laptop') }, ctx);
  return user;
}

describe('Tokens, app passwords and SSH keys in the browser', () => {
  it.each(THEMES)('are readable in the %s theme, wide and narrow', async (theme) => {
    for (const [size, viewport] of [['wide', undefined], ['narrow', NARROW]] as const) {
      const user = await personWithCredentials();
      const context = await newContext(site, { theme, viewport });
      const page = await context.newPage();
      await signInThroughForm(site, page, { username: user.username, password: GOOD_PASSWORD });
      for (const tab of ['tokens', 'app-passwords', 'keys']) {
        await page.goto(`${site.baseUrl}/profile/${tab}`);
        expect(await page.locator('.cred').count()).toBeGreaterThan(0);
        await shoot(page, `profile-${tab}-${theme}-${size}`);
        expect(await horizontalOverflow(page)).toBe(0);
      }
      await context.close();
    }
  });

  it('creates a token, shows it once with a working Copy button, and hides it on the next visit', async () => {
    const user = await personWithCredentials();
    const context = await newContext(site);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.baseUrl });
    const page = await context.newPage();
    await signInThroughForm(site, page, { username: user.username, password: GOOD_PASSWORD });
    await page.goto(`${site.baseUrl}/profile/tokens`);
    await page.locator('#new-token > summary').click();
    await page.locator('#field-name').fill('Home Assistant');
    await page.getByText('46 characters left').waitFor();
    await page.locator('input[name=scope][value=write]').check();
    expect(await page.locator('#field-expires_on').isVisible()).toBe(false);
    await page.locator('#field-expires').selectOption('custom');
    expect(await page.locator('#field-expires_on').isVisible()).toBe(true);
    await page.locator('#field-expires').selectOption('365');
    await page.locator('#field-allowed_ips').fill('192.168.1.0/24\n2001:DB8::1');
    await page.locator('form[action="/profile/tokens"] button[type=submit]').click();
    const secret = await page.locator('#new-secret').innerText();
    expect(secret).toMatch(/^pat_[0-9A-Za-z]{36}$/);
    await page.locator('[data-copy="new-secret"]').click();
    await page.getByText('Copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await shoot(page, 'profile-tokens-new-secret');
    await page.reload();
    expect(await page.locator('#new-secret').count()).toBe(0);
    expect(await page.content()).toContain('192.168.1.0/24, 2001:db8::1');
    await context.close();
  });

  it('explains a pasted private key in German, on a phone, without echoing it', async () => {
    const user = await personWithCredentials('de');
    const context = await newContext(site, { locale: 'de', viewport: NARROW });
    const page = await context.newPage();
    await signInThroughForm(site, page, { username: user.username, password: GOOD_PASSWORD });
    await page.goto(`${site.baseUrl}/profile/keys`);
    await page.locator('#new-key > summary').click();
    await page.locator('#field-title').fill('Laptop');
    await page.locator('#field-key').fill('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----');
    await page.locator('form[action="/profile/keys"] button[type=submit]').click();
    await page.getByText('Das ist ein privater Schlüssel.').first().waitFor();
    expect(await page.locator('#field-key').inputValue()).toBe('');
    await shoot(page, 'profile-keys-private-key-de-narrow');
    expect(await horizontalOverflow(page)).toBe(0);
    await context.close();
  });

  it('shows the Serbian token form without JavaScript', async () => {
    const user = await personWithCredentials('sr-Cyrl');
    const context = await newContext(site, { locale: 'sr-Cyrl', javaScript: false, viewport: NARROW });
    const page = await context.newPage();
    await signInThroughForm(site, page, { username: user.username, password: GOOD_PASSWORD });
    await page.goto(`${site.baseUrl}/profile/tokens`);
    await page.locator('#new-token > summary').click();
    await page.locator('#field-name').fill('Скрипта');
    expect(await page.locator('#field-expires_on').isVisible()).toBe(false);
    await page.locator('#field-expires').selectOption('custom');
    expect(await page.locator('#field-expires_on').isVisible()).toBe(true);
    await page.locator('form[action="/profile/tokens"] button[type=submit]').click();
    await page.locator('.field--error').first().waitFor();
    await shoot(page, 'profile-tokens-error-sr-cyrl-nojs-narrow');
    expect(await horizontalOverflow(page)).toBe(0);
    await context.close();
  });
});

describe('The API documentation page', () => {
  it.each([
    ['with JavaScript', true],
    ['without JavaScript', false],
  ] as const)('is readable %s', async (_label, javaScript) => {
    for (const theme of ['light', 'dark'] as const) {
      const context = await newContext(site, { javaScript, theme });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      // Every operation of the document, the administrators' included.
      const document = (await (await fetch(`${site.baseUrl}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
      const operations = Object.values(document.paths).flatMap((item) => Object.keys(item).filter((k) => ['get', 'put', 'post', 'delete', 'patch'].includes(k))).length;
      expect(operations).toBeGreaterThan(16);
      await page.goto(`${site.baseUrl}/api/docs`);
      if (javaScript) {
        await page.locator('.swagger-ui .opblock').first().waitFor();
        expect(await page.locator('.swagger-ui .opblock').count()).toBe(operations);
        expect(await page.locator('[data-docs-fallback]').isVisible()).toBe(false);
      } else {
        expect(await page.locator('.operation').count()).toBe(operations);
      }
      await shoot(page, `api-docs-${javaScript ? 'js' : 'nojs'}-${theme}`);
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
