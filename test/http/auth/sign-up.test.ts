import { describeApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { GOOD_PASSWORD, createUser } from '../../helpers/factories';

const t = describeApp();

const form = (overrides: Record<string, string | string[]> = {}) => ({
  first_name: 'Jane',
  last_name: 'Doe',
  email: ' Jane.Doe@Example.COM ',
  username: 'jane.doe',
  password: GOOD_PASSWORD,
  password_confirm: GOOD_PASSWORD,
  ...overrides,
});

describe('Signing up', () => {
  it('creates the account, signs the person in with a new session id and greets them by first name', async () => {
    const visitor = new Visitor(t.app);
    const page = await visitor.get('/signup');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Create your account');
    const anonymousSid = /sid=([^;]+)/.exec(String(page.headers['set-cookie']))?.[1];

    const res = await visitor.post('/signup', { _csrf: visitor.csrf(), ...form() });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const signedInSid = /sid=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1];
    expect(signedInSid).toBeDefined();
    expect(signedInSid).not.toBe(anonymousSid);

    const home = await visitor.get('/');
    expect(home.text).toContain('Hello, Jane!');
    expect(home.headers['cache-control']).toBe('no-store');

    const stored = await t.repos.users.findByUsername('jane.doe');
    expect(stored?.email).toBe('Jane.Doe@Example.COM');
    expect(stored?.passwordHash).toMatch(/^bcrypt-sha256-v1\$\$2b\$04\$/);
    expect(stored?.passwordHash).not.toContain(GOOD_PASSWORD);
  });

  it('lower-cases the username people type', async () => {
    const visitor = new Visitor(t.app);
    const res = await visitor.submit('/signup', form({ username: 'Mixed.Case', email: 'mixed@example.com' }));
    expect(res.status).toBe(303);
    expect(await t.repos.users.findByUsername('mixed.case')).toMatchObject({ username: 'mixed.case' });
  });

  it('refuses an email address or username that differs from an existing one only in case', async () => {
    await createUser(t, { username: 'taken', email: 'taken@example.com' });
    const byEmail = await new Visitor(t.app).submit('/signup', form({ email: 'TAKEN@example.com', username: 'fresh1' }));
    expect(byEmail.status).toBe(422);
    expect(byEmail.text).toContain('An account with this email address already exists');
    const byName = await new Visitor(t.app).submit('/signup', form({ email: 'fresh@example.com', username: 'TAKEN' }));
    expect(byName.status).toBe(422);
    expect(byName.text).toContain('This username is already taken');
  });

  it('shows every problem at once, keeps what was typed except the passwords', async () => {
    const res = await new Visitor(t.app).submit('/signup', form({ first_name: '', email: 'not-an-email', username: 'ab', password: 'short', password_confirm: 'short' }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('Enter your first name');
    expect(res.text).toContain('Enter an email address in the correct format');
    expect(res.text).toContain('Username must be between 3 and 32 characters');
    expect(res.text).toContain('href="#field-first_name"');
    expect(res.text).toContain('value="not-an-email"');
    expect(res.text).toContain('value="Doe"');
    expect(res.text).not.toContain('value="short"');
  });

  it('explains why a password is refused', async () => {
    const cases: Array<[string, string]> = [
      ['short', 'Password must be at least 10 characters'],
      ['x'.repeat(257), 'Password must be 256 characters or fewer'],
      ['iloveyou123', 'appeared in a data breach'],
      ['Jane.Doe.2024!', 'built from your name, username, email address'],
      ['atrium-admin-1', 'built from your name, username, email address'],
      ['kkkkkkkkkkkkkk7', 'Repeated characters like'],
    ];
    for (const [password, message] of cases) {
      const res = await new Visitor(t.app).submit('/signup', form({ username: 'pwtest', email: 'pw@example.com', password, password_confirm: password }));
      expect(res.status).toBe(422);
      expect(res.text).toContain(message.replace(/"/g, '&#34;'));
    }
  });

  it('asks for matching passwords', async () => {
    const res = await new Visitor(t.app).submit('/signup', form({ username: 'mismatch', email: 'mm@example.com', password_confirm: `${GOOD_PASSWORD}x` }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('The passwords do not match');
  });

  it('is not offered to someone already signed in', async () => {
    const visitor = new Visitor(t.app);
    await visitor.submit('/signup', form({ username: 'already', email: 'already@example.com' }));
    const res = await visitor.get('/signup');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });

});

describe('Twenty people racing for one username', () => {
  const race = describeApp();

  it('ends in exactly one account and nineteen clear refusals', async () => {
    const visitors = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const v = new Visitor(race.app);
        await v.get('/signup');
        return v;
      }),
    );
    const results = await Promise.all(visitors.map((v, i) => v.post('/signup', { _csrf: v.csrf(), ...form({ username: 'racer', email: `racer${i}@example.com` }) })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 303)).toHaveLength(1);
    expect(statuses.filter((s) => s === 422)).toHaveLength(19);
    for (const r of results.filter((x) => x.status === 422)) expect(r.text).toContain('This username is already taken');
    const count = await race.deps.db('users').whereRaw("lower(username) = 'racer'").count<{ count: number }[]>('* as count');
    expect(Number(count[0]?.count)).toBe(1);
  });
});
