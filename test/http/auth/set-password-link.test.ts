import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { GOOD_PASSWORD, signedIn } from '../../helpers/factories';

const t = describeApp();

const HOUR = 3_600_000;

async function invite(username: string) {
  return t.services.adminInvitations.createInvited({ username, email: `${username}@example.com`, first_name: 'Ivy', last_name: 'Invited', admin: false });
}

describe('An account created by an operator', () => {
  it('has no password until its owner chooses one through the one-time link', async () => {
    const { user, token } = await invite('ivy');
    expect(user.passwordHash).toBeNull();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await t.deps.db('one_time_tokens').where({ user_id: user.id }).first();
    expect(stored.token_hash).not.toContain(token);

    const visitor = new Visitor(t.app);
    const page = await visitor.get(`/reset-password/${token}`);
    expect(page.status).toBe(200);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.text).toContain('For the account ivy');

    const res = await visitor.post(`/reset-password/${token}`, { _csrf: visitor.csrf(), password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
    expect((await visitor.get('/login')).text).toContain('Your password has been saved.');
    await signedIn(t, { username: 'ivy', password: GOOD_PASSWORD });
  });

  it('the link works once only', async () => {
    const { token } = await invite('once');
    const visitor = new Visitor(t.app);
    await visitor.submit(`/reset-password/${token}`, { password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD });
    const again = await new Visitor(t.app).get(`/reset-password/${token}`);
    expect(again.status).toBe(404);
    expect(again.text).toContain('This link cannot be used');
    expect(again.text).toContain('It may have been used already, or it has expired.');
  });

  it('the link expires after 24 hours', async () => {
    const { token } = await invite('late');
    t.clock.advance(23 * HOUR + 59 * 60_000);
    expect((await new Visitor(t.app).get(`/reset-password/${token}`)).status).toBe(200);
    t.clock.advance(2 * 60_000);
    expect((await new Visitor(t.app).get(`/reset-password/${token}`)).status).toBe(404);
  });

  it('the new password follows the same policy as sign-up', async () => {
    const { token } = await invite('policy');
    const res = await new Visitor(t.app).submit(`/reset-password/${token}`, { password: 'Policy.Invited', password_confirm: 'Policy.Invited' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('built from your name, username, email address');
    const mismatch = await new Visitor(t.app).submit(`/reset-password/${token}`, { password: GOOD_PASSWORD, password_confirm: 'other' });
    expect(mismatch.text).toContain('The passwords do not match');
  });

  it('a token of the wrong length or alphabet is refused without a database lookup', async () => {
    for (const bad of ['short', 'x'.repeat(44), `${'a'.repeat(42)}!`, '%00'.repeat(5)]) {
      const res = await request(t.app).get(`/reset-password/${bad}`).set('Accept', 'text/html');
      expect([400, 404]).toContain(res.status);
      expect(res.text).not.toMatch(/at \w+ \(/);
    }
  });
});
