/// <reference lib="dom" />
import { GOOD_PASSWORD, createUser } from '../helpers/factories';
import { MailCatcher, linkIn } from '../helpers/mail-catcher';
import { NARROW, THEMES, horizontalOverflow, newContext, openSite, shoot, type Site } from './browser';

const mail = new MailCatcher();
let site: Site;
beforeAll(async () => {
  await mail.start();
  site = await openSite({ SMTP_URL: mail.url });
});
afterAll(async () => {
  await site?.close();
  await mail.stop();
});

const NEW_PASSWORD = 'harbour lantern pebble 55';

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('Recovering a forgotten password %s', (_label, javaScript) => {
  it('from the sign-in page, through the emailed link, to signing in with the new password', async () => {
    const user = await createUser(site.t, { password: GOOD_PASSWORD });
    const context = await newContext(site, { javaScript });
    const page = await context.newPage();
    await page.goto(`${site.baseUrl}/login`);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByLabel('Email address').fill(user.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByText('a message with a link to choose a new password is on its way.').waitFor();

    await site.t.deliverMail();
    if (javaScript) {
      // How the message itself looks in a mail client that shows HTML.
      const mailView = await context.newPage();
      await mailView.setContent(mail.last(user.email).html);
      await shoot(mailView, 'email-password-reset');
      await mailView.close();
    }
    await page.goto(linkIn(mail.last(user.email), `${site.baseUrl}/reset-password/`));
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.getByText('Your password has been saved.').waitFor();

    await page.getByLabel('Username or email address').fill(user.username);
    await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Hello, Jane!').waitFor();
    await context.close();
  });
});

describe('Screenshots of recovery and verification pages', () => {
  it.each(THEMES)('in the %s theme', async (theme) => {
    const user = await createUser(site.t, { password: GOOD_PASSWORD });
    for (const [size, viewport] of [['wide', undefined], ['narrow', NARROW]] as const) {
      const context = await newContext(site, { theme, viewport });
      const page = await context.newPage();
      await page.goto(`${site.baseUrl}/forgot-password`);
      await shoot(page, `forgot-password-${theme}-${size}`);
      await page.getByLabel('Email address').fill(user.email);
      await page.getByRole('button', { name: 'Send reset link' }).click();
      await page.getByText('Check your email', { exact: true }).waitFor();
      await shoot(page, `forgot-password-sent-${theme}-${size}`);
      expect(await horizontalOverflow(page)).toBe(0);
      await site.t.deliverMail();
      await page.goto(linkIn(mail.last(user.email), `${site.baseUrl}/reset-password/`));
      await shoot(page, `reset-password-${theme}-${size}`);
      await page.goto(`${site.baseUrl}/reset-password/${'A'.repeat(43)}`);
      await shoot(page, `invalid-link-${theme}-${size}`);
      expect(await horizontalOverflow(page)).toBe(0);

      await page.goto(`${site.baseUrl}/login`);
      await page.getByLabel('Username or email address').fill(user.username);
      await page.getByLabel('Password', { exact: true }).fill(GOOD_PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByText('Please verify your email address').waitFor();
      await shoot(page, `home-unverified-${theme}-${size}`);
      expect(await horizontalOverflow(page)).toBe(0);
      await context.close();
    }
  });

  it.each(['de', 'sr-Cyrl'])('the verification page in %s', async (locale) => {
    const visitor = await createUser(site.t, { password: GOOD_PASSWORD, language: locale as 'de' });
    await site.t.services.emailVerification.resend(visitor);
    await site.t.deliverMail();
    const context = await newContext(site, { locale, viewport: NARROW });
    const page = await context.newPage();
    await page.goto(linkIn(mail.last(visitor.email), `${site.baseUrl}/verify-email/`));
    await shoot(page, `verify-email-${locale}-narrow`);
    expect(await horizontalOverflow(page)).toBe(0);
    await page.locator('button[type=submit]').first().click();
    await shoot(page, `verify-email-done-${locale}-narrow`);
    await context.close();
  });
});
