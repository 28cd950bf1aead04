import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { GOOD_PASSWORD } from '../../helpers/factories';
import { setPolicies } from './policies-test-helpers';

const t = describeApp();

const form = (email: string, username: string) => ({ first_name: 'Nora', last_name: 'New', email, username, password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD });

describe('The sign-up policies', () => {
  afterEach(() => setPolicies(t, { signup: 'open', signup_email_domains: [] }));

  it('closed: the sign-up page says so, posts are refused in words, and neither the sign-in page nor the header offers "Create account"', async () => {
    const visitor = new Visitor(t.app);
    const signIn = await visitor.get('/login');
    expect(signIn.text).toContain('href="/signup"');
    expect((await visitor.get('/forgot-password')).text).toContain('href="/signup"');

    await setPolicies(t, { signup: 'closed' });
    const page = await visitor.get('/signup');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Sign-up is closed: accounts here are created by the administrators.');
    expect(page.text).not.toContain('action="/signup"');
    const refused = await visitor.post('/signup', { _csrf: csrfTokenIn(signIn.text), ...form('nora@example.com', 'nora') });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Sign-up is closed');
    expect(await t.repos.users.findByUsername('nora')).toBeUndefined();
    const json = await request(t.app).post('/signup').set('Accept', 'application/json').send(form('nora@example.com', 'nora'));
    expect(json.status).toBe(403);
    for (const path of ['/login', '/forgot-password']) expect((await visitor.get(path)).text).not.toContain('href="/signup"');
    const german = await new Visitor(t.app, undefined, 'de').get('/signup');
    expect(german.text).toContain('Die Registrierung ist geschlossen');

    await setPolicies(t, { signup: 'open' });
    expect((await visitor.submit('/signup', form('nora@example.com', 'nora'))).status).toBe(303);
  });

  it('an allow-list of domains: the form names the rule beside the address, together with every other problem, and lets the listed domains in', async () => {
    await setPolicies(t, { signup_email_domains: ['example.org', 'staff.example.net'] });
    const refused = await new Visitor(t.app).submit('/signup', { ...form('ann@example.com', 'ab'), password: 'short', password_confirm: 'short' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Sign-up accepts only addresses at example.org, staff.example.net');
    expect(refused.text).toContain('Username must be between 3 and 32 characters');
    expect(refused.text).toContain('Password must be at least 10 characters');
    const subdomain = await new Visitor(t.app).submit('/signup', form('ann@sub.example.org', 'ann.sub'));
    expect(subdomain.status).toBe(422);
    expect((await new Visitor(t.app).submit('/signup', form('Ann@EXAMPLE.org', 'ann'))).status).toBe(303);
    expect((await new Visitor(t.app).submit('/signup', form('bob@staff.example.net', 'bob'))).status).toBe(303);
  });
});

describe('With SIGNUP and SIGNUP_EMAIL_DOMAINS in the environment', () => {
  const env = describeApp({ SIGNUP: 'closed', SIGNUP_EMAIL_DOMAINS: 'example.org' });

  it('the environment wins over what the console stored', async () => {
    await env.repos.adminPolicies.set('signup', 'open', null, env.clock.now());
    await env.repos.adminPolicies.set('signup_email_domains', [], null, env.clock.now());
    const visitor = new Visitor(env.app);
    expect((await visitor.get('/signup')).text).toContain('Sign-up is closed');
    expect((await visitor.get('/login')).text).not.toContain('href="/signup"');
    expect((await env.services.signUp.check({ email: 'ann@example.com' })).email?.key).toBe('auth.signUp.errors.emailDomain');
  });
});
