import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';

const t = describeApp();

const get = (path: string, headers: Record<string, string> = {}) => request(t.app).get(path).set({ Accept: 'text/html', ...headers });

describe('Language', () => {
  it('follows Accept-Language for visitors', async () => {
    expect((await get('/login', { 'Accept-Language': 'de-AT,de;q=0.9,en;q=0.5' })).text).toContain('Benutzername oder E-Mail-Adresse');
    expect((await get('/login', { 'Accept-Language': 'sr-Latn-RS' })).text).toContain('Korisničko ime ili adresa e-pošte');
    expect((await get('/login', { 'Accept-Language': 'sr-Cyrl' })).text).toContain('Корисничко име или адреса е-поште');
    expect((await get('/login', { 'Accept-Language': 'fr-FR, ja;q=0.8' })).text).toContain('Username or email address');
    expect((await get('/login', { 'Accept-Language': 'de;q=0, en;q=0.1' })).text).toContain('<html lang="en"');
  });

  it('prefers the cookie set by the picker over Accept-Language', async () => {
    const visitor = new Visitor(t.app, undefined, 'de');
    const res = await visitor.get('/appearance?language=sr-Cyrl&next=%2Flogin');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
    expect(String(res.headers['set-cookie'])).toMatch(/lang=sr-Cyrl;.*HttpOnly.*SameSite=Lax/);
    expect((await visitor.get('/login')).text).toContain('<html lang="sr-Cyrl"');
  });

  it('prefers the saved preference of a signed-in person over the cookie', async () => {
    const user = await createUser(t, { language: 'de' });
    const visitor = await signedIn(t, user);
    await visitor.get('/appearance?language=en');
    const home = await visitor.get('/');
    expect(home.text).toContain('Hallo, Jane!');

    const saved = await visitor.post('/appearance', { _csrf: csrfTokenIn(home.text), language: 'sr', next: '/' });
    expect(saved.status).toBe(303);
    expect((await t.repos.users.findById(user.id))?.language).toBe('sr');
    expect((await visitor.get('/')).text).toContain('Zdravo, Jane!');
  });

  it('refuses a language that is not offered, with words', async () => {
    const res = await get('/appearance?language=xx');
    expect(res.status).toBe(422);
    expect(res.text).toContain('Choose one of the languages offered');
  });
});

describe('Theme', () => {
  it('is applied on the very next page from the cookie, with no script needed', async () => {
    const visitor = new Visitor(t.app);
    expect((await visitor.get('/login')).text).not.toContain('data-theme=');
    await visitor.get('/appearance?theme=contrast');
    expect((await visitor.get('/login')).text).toContain('<html lang="en" data-theme="contrast"');
  });

  it('is saved for a signed-in person', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const home = await visitor.get('/');
    await visitor.post('/appearance', { _csrf: csrfTokenIn(home.text), theme: 'dark' });
    expect((await t.repos.users.findById(user.id))?.theme).toBe('dark');
    expect((await visitor.get('/')).text).toContain('data-theme="dark"');
  });

  it('never redirects to another site', async () => {
    const res = await get('/appearance?theme=dark&next=https%3A%2F%2Fevil.example%2F');
    expect(res.headers.location).toBe('/');
  });
});
