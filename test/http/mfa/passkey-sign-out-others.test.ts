import { describeApp } from '../../helpers/app';
import { type Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { addPasskey } from '../../helpers/passkey-ceremony';

const ORIGIN = 'http://localhost:3000';
const t = describeApp({ BASE_URL: ORIGIN });

async function twoBrowsers() {
  const user = await createUser(t);
  return { user, here: await signedIn(t, user), elsewhere: await signedIn(t, user) };
}

const stillSignedIn = async (visitor: Visitor) => (await visitor.get('/profile/account')).status === 200;

describe('Adding a passkey', () => {
  it('offers "Also sign out all my other sessions", ticked by default, beside the button', async () => {
    const { here } = await twoBrowsers();
    const tab = await here.get('/profile/security');
    const adding = tab.text.slice(tab.text.indexOf('data-passkey-register-form'));
    expect(adding).toMatch(/<input type="checkbox" id="[^"]+" name="sign_out_others" value="on" checked>/);
    expect(adding).toContain('Also sign out all my other sessions');
  });

  it('with the box ticked, ends every other session and keeps this one', async () => {
    const { here, elsewhere } = await twoBrowsers();
    expect((await addPasskey(here, ORIGIN, true)).status).toBe(200);
    expect(await stillSignedIn(here)).toBe(true);
    expect(await stillSignedIn(elsewhere)).toBe(false);
  });

  it('with the box unticked, leaves the other sessions alone', async () => {
    const { here, elsewhere } = await twoBrowsers();
    expect((await addPasskey(here, ORIGIN, false)).status).toBe(200);
    expect(await stillSignedIn(elsewhere)).toBe(true);
  });
});

describe('Removing a passkey (a plain form, no JavaScript needed)', () => {
  async function withTwoPasskeys() {
    const browsers = await twoBrowsers();
    await addPasskey(browsers.here, ORIGIN, false);
    await addPasskey(browsers.here, ORIGIN, false);
    const [passkey] = await t.repos.authenticators.listPasskeys(browsers.user.id);
    return { ...browsers, passkeyId: passkey?.id as string };
  }

  it('offers "Also sign out all my other sessions", ticked by default, in each passkey\'s remove form', async () => {
    const { here, passkeyId } = await withTwoPasskeys();
    const tab = await here.get('/profile/security');
    const form = /<form method="post" action="\/profile\/security\/passkeys\/([^/]+)\/remove"[^>]*>([\s\S]*?)<\/form>/.exec(tab.text);
    expect(form?.[1]).toBe(passkeyId);
    expect(form?.[2]).toMatch(/<input type="checkbox" id="[^"]+" name="sign_out_others" value="on" checked>/);
  });

  it('with the box ticked, ends every other session and keeps this one', async () => {
    const { here, elsewhere, passkeyId, user } = await withTwoPasskeys();
    const tab = await here.get('/profile/security');
    const res = await here.post(`/profile/security/passkeys/${passkeyId}/remove`, { _csrf: csrfTokenIn(tab.text), sign_out_others: 'on' });
    expect(res.headers.location).toBe('/profile/security');
    expect(await stillSignedIn(here)).toBe(true);
    expect(await stillSignedIn(elsewhere)).toBe(false);
    expect(await t.repos.authenticators.listPasskeys(user.id)).toHaveLength(1);
  });

  it('with the box unticked, leaves the other sessions alone', async () => {
    const { here, elsewhere, passkeyId, user } = await withTwoPasskeys();
    const tab = await here.get('/profile/security');
    const res = await here.post(`/profile/security/passkeys/${passkeyId}/remove`, { _csrf: csrfTokenIn(tab.text) });
    expect(res.headers.location).toBe('/profile/security');
    expect(await stillSignedIn(elsewhere)).toBe(true);
    expect(await t.repos.authenticators.listPasskeys(user.id)).toHaveLength(1);
  });
});
