import { describeApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { solidPng } from '../../helpers/images';
import { apiHelpers } from '../api/api-test-helpers';
import { setPolicies } from './policies-test-helpers';

const t = describeApp();
const { api, tokenFor } = apiHelpers(t);

describe('The profile lock policy', () => {
  it('set in the console: names, addresses and the picture become read-only at once, on the page and through the API; lifted, they are editable again', async () => {
    const user = await createUser(t, { firstName: 'Locked', lastName: 'Person' });
    const visitor = await signedIn(t, user);
    const token = await tokenFor(user);
    expect((await visitor.get('/profile/account')).text).toContain('action="/profile/account/name"');

    await setPolicies(t, { profile_locked: true });
    const tab = await visitor.get('/profile/account');
    expect(tab.text).toContain('Your administrator manages these details.');
    expect(tab.text).not.toContain('action="/profile/account/name"');
    const csrf = csrfTokenIn(tab.text);
    const refused = {
      name: await visitor.post('/profile/account/name', { _csrf: csrf, first_name: 'Forged', last_name: 'Name' }),
      email: await visitor.post('/profile/account/email', { _csrf: csrf, email: 'forged@example.com' }),
      avatar: await visitor.agent.post('/profile/account/avatar').set('Accept', 'text/html').field('_csrf', csrf).attach('avatar', await solidPng(), { filename: 'a.png', contentType: 'image/png' }),
      apiName: await api('put', '/users/me', token).send({ first_name: 'Api', last_name: 'Forged' }),
      apiEmail: await api('put', '/users/me/email', token).send({ email: 'api@example.com', current_password: user.password }),
    };
    for (const [name, res] of Object.entries(refused)) expect({ name, status: res.status }).toEqual({ name, status: 403 });
    expect(refused.name.text).toContain('Your administrator manages these details.');
    expect(refused.apiName.body.error.code).toBe('profile_locked');
    const after = await t.repos.users.findById(user.id);
    expect([after?.firstName, after?.email, after?.avatarHash]).toEqual(['Locked', user.email, null]);

    await setPolicies(t, { profile_locked: false });
    const open = await visitor.get('/profile/account');
    expect(open.text).toContain('action="/profile/account/name"');
    expect((await visitor.post('/profile/account/name', { _csrf: csrfTokenIn(open.text), first_name: 'Free', last_name: 'Again' })).status).toBe(303);
  });
});

describe('With PROFILE_LOCKED=false in the environment', () => {
  const env = describeApp({ PROFILE_LOCKED: 'false' });

  it('a lock stored in the console does not apply: the environment wins', async () => {
    await env.repos.adminPolicies.set('profile_locked', true, null, env.clock.now());
    const visitor = await signedIn(env, await createUser(env));
    expect((await visitor.get('/profile/account')).text).toContain('action="/profile/account/name"');
  });
});
