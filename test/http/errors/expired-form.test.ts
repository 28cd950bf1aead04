import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { GOOD_PASSWORD, createUser, signedIn } from '../../helpers/factories';

const t = describeApp();

const EXPIRED = 'This form expired; check the values and send it again';

/** A token that belonged to another session (a tab left open overnight, a session that ended). */
async function staleToken(): Promise<string> {
  return csrfTokenIn((await new Visitor(t.app).get('/signup')).text);
}

const shownValue = (html: string, name: string) => new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1];

describe('A form sent with an expired token', () => {
  it('comes back as the same sign-up form, 403, with what was typed (except the passwords), the message and a new token; sending it again works', async () => {
    const visitor = new Visitor(t.app);
    const fields = { first_name: 'Jane', last_name: 'Doe', email: 'expired@example.com', username: 'expired.form', password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD };
    const stale = await staleToken();
    const res = await visitor.post('/signup', { _csrf: stale, ...fields });
    expect(res.status).toBe(403);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain(EXPIRED);
    expect(res.text).toContain('action="/signup"');
    expect(shownValue(res.text, 'email')).toBe('expired@example.com');
    expect(shownValue(res.text, 'username')).toBe('expired.form');
    expect(res.text).not.toContain(GOOD_PASSWORD);
    const fresh = csrfTokenIn(res.text);
    expect(fresh).not.toBe(stale);

    const again = await visitor.post('/signup', { _csrf: fresh, ...fields });
    expect(again.status).toBe(303);
    expect(await t.repos.users.findByUsername('expired.form')).toBeTruthy();
  });

  it('comes back as the account tab with the new name kept, and the name is saved on the second try', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const res = await visitor.post('/profile/account/name', { _csrf: await staleToken(), first_name: 'Ana', last_name: 'Petrović' });
    expect(res.status).toBe(403);
    expect(res.text).toContain(EXPIRED);
    expect(shownValue(res.text, 'first_name')).toBe('Ana');
    expect(shownValue(res.text, 'last_name')).toBe('Petrović');
    expect((await t.repos.users.findById(user.id))?.firstName).not.toBe('Ana');

    const again = await visitor.post('/profile/account/name', { _csrf: csrfTokenIn(res.text), first_name: 'Ana', last_name: 'Petrović' });
    expect(again.status).toBe(303);
    expect((await t.repos.users.findById(user.id))?.firstName).toBe('Ana');
  });

  it('is said in German and Serbian too', async () => {
    const de = await new Visitor(t.app, undefined, 'de').post('/signup', { _csrf: await staleToken(), first_name: 'Jana' });
    expect(de.status).toBe(403);
    expect(de.text).toContain('Dieses Formular ist abgelaufen; prüfen Sie die Angaben und senden Sie es erneut.');
    const sr = await new Visitor(t.app, undefined, 'sr').post('/signup', { _csrf: await staleToken(), first_name: 'Jana' });
    expect(sr.status).toBe(403);
    expect(sr.text).toContain('Ovaj obrazac je istekao; proverite vrednosti i pošaljite ga ponovo.');
  });

  it('stays a JSON 403 for scripts', async () => {
    const res = await request(t.app).post('/signup').set('Accept', 'application/json').send({ _csrf: 'stale', first_name: 'Jane' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('csrf_failed');
  });
});
