import { describeApp } from '../../helpers/app';
import { csrfTokenIn, type Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { solidPng } from '../../helpers/images';

async function forgedPosts(visitor: Visitor) {
  const tab = await visitor.get('/profile/account');
  const token = csrfTokenIn(tab.text);
  return {
    tab,
    name: await visitor.post('/profile/account/name', { _csrf: token, first_name: 'Forged', last_name: 'Name' }),
    email: await visitor.post('/profile/account/email', { _csrf: token, email: 'forged@example.com' }),
    recovery: await visitor.post('/profile/account/recovery-email', { _csrf: token, recovery_email: 'forged@example.com' }),
    removeRecovery: await visitor.post('/profile/account/recovery-email/remove', { _csrf: token }),
    avatar: await visitor.agent.post('/profile/account/avatar').set('Accept', 'text/html').field('_csrf', token).attach('avatar', await solidPng(), { filename: 'a.png', contentType: 'image/png' }),
    removeAvatar: await visitor.post('/profile/account/avatar/remove', { _csrf: token }),
  };
}

describe('With PROFILE_LOCKED=true', () => {
  const t = describeApp({ PROFILE_LOCKED: 'true' });

  it('shows names, addresses and picture read-only with the reason, and refuses forged posts with 403', async () => {
    const user = await createUser(t, { firstName: 'Locked', lastName: 'Person' });
    const { tab, ...posts } = await forgedPosts(await signedIn(t, user));
    expect(tab.text).toContain('Your administrator manages these details.');
    expect(tab.text).not.toContain('action="/profile/account/name"');
    expect(tab.text).not.toContain('action="/profile/account/email"');
    expect(tab.text).not.toContain('action="/profile/account/avatar"');
    for (const [name, res] of Object.entries(posts)) {
      expect({ name, status: res.status }).toEqual({ name, status: 403 });
      expect(res.text).toContain('Your administrator manages these details.');
    }
    const after = await t.repos.users.findById(user.id);
    expect([after?.firstName, after?.email, after?.recoveryEmail, after?.avatarHash]).toEqual(['Locked', user.email, null, null]);
  });

  it('still lets people change their password and preferences', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const prefs = await visitor.get('/profile/preferences');
    const res = await visitor.post('/profile/preferences', { _csrf: csrfTokenIn(prefs.text), language: 'de', theme: 'dark' });
    expect(res.status).toBe(303);
    expect((await visitor.get('/profile/password')).text).toContain('action="/profile/password"');
  });
});

describe('An account from an external directory', () => {
  const t = describeApp();

  it('is read-only with that reason, and forged posts are refused', async () => {
    const user = await createUser(t);
    await t.deps.db('users').where({ id: user.id }).update({ source: 'ldap' });
    const { tab, ...posts } = await forgedPosts(await signedIn(t, user));
    expect(tab.text).toContain('Managed by your organisation&#39;s directory: these details are changed there.');
    for (const res of Object.values(posts)) expect(res.status).toBe(403);
  });
});
