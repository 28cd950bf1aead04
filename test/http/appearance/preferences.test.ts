import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';

const t = describeApp({}, { mail: true });

async function save(visitor: Visitor, fields: Record<string, string | string[]>) {
  const tab = await visitor.get('/profile/preferences');
  return visitor.post('/profile/preferences', { _csrf: csrfTokenIn(tab.text), ...fields });
}

describe('The Preferences tab', () => {
  it('offers the four languages by their own names and every theme with a preview', async () => {
    const page = await (await signedIn(t, await createUser(t))).get('/profile/preferences');
    for (const name of ['English', 'Deutsch', 'Srpski (latinica)', 'Српски (ћирилица)']) expect(page.text).toContain(name);
    for (const theme of ['auto', 'light', 'dark', 'warm', 'contrast']) expect(page.text).toContain(`name="theme" value="${theme}"`);
    expect(page.text).toContain('class="swatch" data-theme="contrast"');
  });

  it('applies the saved choice on the very next page and remembers it for the sign-in page', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const res = await save(visitor, { language: 'sr-Cyrl', theme: 'dark' });
    expect(res.headers.location).toBe('/profile/preferences');
    expect(String(res.headers['set-cookie'])).toMatch(/lang=sr-Cyrl/);
    expect(String(res.headers['set-cookie'])).toMatch(/theme=dark/);
    const next = await visitor.get('/profile/preferences');
    expect(next.text).toContain('<html lang="sr-Cyrl" data-theme="dark"');
    expect(next.text).toContain('Ваша подешавања су сачувана.');

    const logout = await visitor.post('/logout', { _csrf: csrfTokenIn(next.text) });
    expect(logout.status).toBe(303);
    expect((await visitor.get('/login')).text).toContain('<html lang="sr-Cyrl" data-theme="dark"');
  });

  it('sends mail in the saved language', async () => {
    const user = await createUser(t, { language: 'en' });
    await save(await signedIn(t, user), { language: 'de', theme: 'auto' });
    await t.services.passwordReset.requestReset({ email: user.email }, { ip: '192.0.2.1', userAgent: '', locale: 'en' });
    await t.deliverMail();
    expect(t.mail.last(user.email).subject).toBe('Ihr Passwort bei Atrium zurücksetzen');
  });

  it('goes back to following the device with "Match my device"', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    await save(visitor, { language: 'en', theme: 'warm' });
    await save(visitor, { language: 'en', theme: 'auto' });
    expect((await t.repos.users.findById(user.id))?.theme).toBeNull();
    expect((await visitor.get('/profile/preferences')).text).not.toMatch(/<html[^>]*data-theme=/);
  });

  it('refuses choices it does not offer', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const res = await save(visitor, { language: 'fr', theme: 'neon' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Choose one of the languages offered');
    expect(res.text).toContain('Choose one of the themes offered');
    const missing = await save(visitor, {});
    expect(missing.status).toBe(422);
  });
});
