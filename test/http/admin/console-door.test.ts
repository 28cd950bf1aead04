import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';

const t = describeApp();

describe('The admin console door', () => {
  it('an administrator finds "Administration" in the account menu, and /admin opens the console', async () => {
    const admin = await createUser(t, { admin: true });
    const browser = await signedIn(t, admin);
    const page = await browser.get('/profile/account');
    expect(page.text).toContain('href="/admin"');
    expect(page.text).toContain('Administration');
    const door = await browser.get('/admin');
    expect(door.status).toBe(303);
    expect(door.headers.location).toBe('/admin/users');
  });

  it('a person without the role sees no such menu item, and /admin is the ordinary 404 page for them and for visitors', async () => {
    const person = await createUser(t);
    const browser = await signedIn(t, person);
    expect((await browser.get('/profile/account')).text).not.toContain('href="/admin"');
    const theirs = await browser.get('/admin');
    const visitors = await request(t.app).get('/admin').set('Accept', 'text/html');
    const unknown = await request(t.app).get('/admins').set('Accept', 'text/html');
    for (const res of [theirs, visitors]) expect(res.status).toBe(404);
    // Word for word the page of a path that does not exist, so it says nothing about the console.
    const strip = (html: string) => html.replace(/name="_csrf" value="[^"]*"|nonce="[^"]*"|\/admins?\b/g, '');
    expect(strip(visitors.text)).toBe(strip(unknown.text));
  });

  it('the admin API answers 404 to a visitor and to a person without the role, as an unknown API path does', async () => {
    const person = await createUser(t);
    const browser = await signedIn(t, person);
    const visitor = await request(t.app).get('/api/v1/admin/users').set('Accept', 'application/json');
    const theirs = await browser.agent.get('/api/v1/admin/users').set('Accept', 'application/json');
    for (const res of [visitor, theirs]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });
});
