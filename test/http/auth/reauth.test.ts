import { describeApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';

const t = describeApp();

const MINUTE = 60_000;

describe('Confirming one\'s identity before a sensitive change', () => {
  it('is not needed right after signing in, and the profile says until when', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const page = await visitor.get('/profile/account');
    expect(page.text).toMatch(/You recently confirmed it's you\. Until <time datetime="[^"]+">\d{1,2}:\d{2}( UTC)?<\/time> you won't be asked again\./);
  });

  it('after 10 minutes: asks for the password, then returns to the tab with the form filled in again', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    t.clock.advance(11 * MINUTE);
    const tab = await visitor.get('/profile/account');
    expect(tab.text).not.toContain("you won't be asked again");
    const res = await visitor.post('/profile/account/email', { _csrf: csrfTokenIn(tab.text), email: 'new-address@example.com' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/reauth?next=%2Fprofile%2Faccount');
    expect(await t.services.emailChange.pending(user)).toBeNull();

    const prompt = await visitor.get(res.headers.location as string);
    expect(prompt.text).toContain('Confirm it&#39;s you');
    const wrong = await visitor.post('/reauth', { _csrf: csrfTokenIn(prompt.text), password: 'not my password', next: '/profile/account' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('That is not your password.');

    const sidBefore = (await t.deps.sessions.listByUser(user.id))[0]?.id;
    const ok = await visitor.post('/reauth', { _csrf: csrfTokenIn(wrong.text), password: user.password, next: '/profile/account' });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/profile/account');
    const sessions = await t.deps.sessions.listByUser(user.id);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.id).not.toBe(sidBefore);

    const back = await visitor.get('/profile/account');
    expect(back.text).toContain('Thank you. You can make the change now.');
    expect(back.text).toContain('value="new-address@example.com"');
    expect(back.text).toContain("you won't be asked again");
    const sent = await visitor.post('/profile/account/email', { _csrf: csrfTokenIn(back.text), email: 'new-address@example.com' });
    expect(sent.headers.location).toBe('/profile/account');
    expect((await t.services.emailChange.pending(user))?.newEmail).toBe('new-address@example.com');
  });

  it('can be dropped at once', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const tab = await visitor.get('/profile/password');
    const res = await visitor.post('/reauth/drop', { _csrf: csrfTokenIn(tab.text), next: '/profile/password' });
    expect(res.headers.location).toBe('/profile/password');
    const after = await visitor.get('/profile/password');
    expect(after.text).not.toContain("you won't be asked again");
    const change = await visitor.post('/profile/password', { _csrf: csrfTokenIn(after.text), current_password: user.password, password: 'x', password_confirm: 'x' });
    expect(change.headers.location).toBe('/reauth?next=%2Fprofile%2Fpassword');
  });

  it('never sends anyone to another site afterwards', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const prompt = await visitor.get('/reauth?next=https%3A%2F%2Fevil.example');
    const res = await visitor.post('/reauth', { _csrf: csrfTokenIn(prompt.text), password: user.password, next: 'https://evil.example' });
    expect(res.headers.location).toBe('/profile');
  });

  it('is rate limited like signing in', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    let page = await visitor.get('/reauth');
    let status = 0;
    for (let i = 0; i < 11; i++) {
      const res = await visitor.post('/reauth', { _csrf: csrfTokenIn(page.text), password: `guess ${i}` });
      status = res.status;
      if (res.status === 422) page = res;
    }
    expect(status).toBe(429);
  });

  it('tells JSON clients with a 403 instead of a redirect', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    t.clock.advance(11 * MINUTE);
    const tab = await visitor.get('/profile/account');
    const res = await visitor.agent.post('/profile/account/email').set('Accept', 'application/json').set('X-CSRF-Token', csrfTokenIn(tab.text)).send({ email: 'x@example.com' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('reauth_required');
  });
});
