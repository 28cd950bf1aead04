import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { USER_AGENTS, Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { OPERATOR_CONTEXT } from '../../../src/features/admin/actor-context';

const t = describeApp({ TRUST_PROXY: 'true' });

const MINUTE = 60_000;

/** Signs in from a given browser and address. */
async function device(user: { username: string; password: string }, userAgent: string, ip: string, hints: Record<string, string> = {}) {
  const visitor = new Visitor(t.app, userAgent);
  await visitor.agent.get('/login').set('User-Agent', userAgent).set('X-Forwarded-For', ip);
  const page = await visitor.agent.get('/login').set('User-Agent', userAgent).set('X-Forwarded-For', ip);
  const res = await visitor.agent
    .post('/login')
    .set('User-Agent', userAgent)
    .set('X-Forwarded-For', ip)
    .set(hints)
    .type('form')
    .send({ _csrf: csrfTokenIn(page.text), identifier: user.username, password: user.password });
  expect(res.status).toBe(303);
  return visitor;
}

/** The text of each session card, this device first. */
function cards(html: string): string[] {
  return html.split('<li class="session').slice(1).map((card) => card.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '));
}

describe('The Sessions tab', () => {
  it('lists every signed-in device with what its browser says about it, this device first', async () => {
    const user = await createUser(t);
    await device(user, USER_AGENTS.iphoneSafari, '198.51.100.20');
    await device(user, USER_AGENTS.firefoxLinuxArm, '198.51.100.30');
    const windows = await device(user, USER_AGENTS.chromeWindows, '198.51.100.10', {
      'Sec-CH-UA-Platform': '"Windows"',
      'Sec-CH-UA-Platform-Version': '"15.0.0"',
      'Sec-CH-UA-Arch': '"x86"',
      'Sec-CH-UA-Bitness': '"64"',
      'Sec-CH-UA-Full-Version-List': '"Chromium";v="131.0.6778.86", "Google Chrome";v="131.0.6778.86"',
    });
    const page = await windows.agent.get('/profile/sessions').set('User-Agent', USER_AGENTS.chromeWindows).set('X-Forwarded-For', '198.51.100.10');
    expect(page.status).toBe(200);
    expect(page.text).toContain('3 active sessions.');
    const [first, ...rest] = cards(page.text);
    expect(first).toContain('This device');
    expect(first).toContain('Chrome 131.0.6778.86');
    expect(first).toContain('Windows 11');
    expect(first).toContain('amd64');
    expect(first).toContain('Blink');
    expect(first).toContain('198.51.100.10');
    expect(first).toContain('Password');
    const iphone = rest.find((c) => c.includes('iOS')) as string;
    expect(iphone).toContain('Mobile Safari 17.5');
    expect(iphone).toContain('iOS 17.5');
    expect(iphone).toContain('Apple iPhone');
    expect(iphone).toContain('WebKit');
    expect(iphone).toContain('198.51.100.20');
    const firefox = rest.find((c) => c.includes('Firefox')) as string;
    expect(firefox).toContain('Linux');
    expect(firefox).toContain('arm64');
    expect(firefox).toContain('Gecko');
    expect(firefox).toContain('Firefox 133 on Linux');
    expect(firefox).not.toMatch(/Device|Unknown/);
    expect(page.text).not.toContain('Approximate place');
    expect(page.text).toMatch(/<time datetime="[^"]+" title="[^"]+">(now|\d+ (seconds|minutes?) ago)<\/time>/);
  });

  it('signs out exactly the device chosen, which is then told why', async () => {
    const user = await createUser(t);
    const phone = await device(user, USER_AGENTS.iphoneSafari, '198.51.100.40');
    const laptop = await device(user, USER_AGENTS.firefoxLinuxArm, '198.51.100.41');
    const here = await device(user, USER_AGENTS.chromeWindows, '198.51.100.42');
    const page = await here.get('/profile/sessions');
    const phoneId = (await t.deps.sessions.listByUser(user.id)).find((s) => s.data.device?.deviceModel === 'iPhone')?.id as string;
    const res = await here.post(`/profile/sessions/${phoneId}/revoke`, { _csrf: csrfTokenIn(page.text) });
    expect(res.headers.location).toBe('/profile/sessions');
    expect((await here.get('/profile/sessions')).text).toContain('That device has been signed out.');
    expect(await t.deps.sessions.listByUser(user.id)).toHaveLength(2);

    const back = await phone.get('/profile/account');
    expect(back.headers.location).toBe('/login?next=%2Fprofile%2Faccount');
    expect((await phone.get('/login')).text).toContain('You were signed out from another device.');
    expect((await laptop.get('/profile/account')).status).toBe(200);
  });

  it('signs out all other devices, never this one', async () => {
    const user = await createUser(t);
    const others = [await device(user, USER_AGENTS.iphoneSafari, '198.51.100.50'), await device(user, USER_AGENTS.firefoxLinuxArm, '198.51.100.51')];
    const here = await device(user, USER_AGENTS.chromeWindows, '198.51.100.52');
    const page = await here.get('/profile/sessions');
    await here.post('/profile/sessions/revoke-others', { _csrf: csrfTokenIn(page.text) });
    const after = await here.get('/profile/sessions');
    expect(after.text).toContain('2 other sessions have been signed out.');
    expect(after.text).toContain('1 active session.');
    for (const other of others) expect((await other.get('/profile/account')).headers.location).toMatch(/^\/login/);
  });

  it('will not end the current session from here', async () => {
    const user = await createUser(t);
    const here = await signedIn(t, user);
    const page = await here.get('/profile/sessions');
    const [mine] = await t.deps.sessions.listByUser(user.id);
    const res = await here.post(`/profile/sessions/${mine?.id}/revoke`, { _csrf: csrfTokenIn(page.text) });
    expect(res.status).toBe(409);
    expect(res.text).toContain('This is the session you are using.');
    expect(await t.deps.sessions.listByUser(user.id)).toHaveLength(1);
  });

  it('never shows or ends another person\'s session, whatever id is guessed', async () => {
    const victim = await createUser(t);
    await signedIn(t, victim);
    const attacker = await createUser(t);
    const visitor = await signedIn(t, attacker);
    const page = await visitor.get('/profile/sessions');
    expect(cards(page.text)).toHaveLength(1);
    const [target] = await t.deps.sessions.listByUser(victim.id);
    for (const id of [target?.id, 'f'.repeat(64), 'not-a-handle', '%2e%2e%2f%2e%2e%2fetc']) {
      const res = await visitor.post(`/profile/sessions/${id}/revoke`, { _csrf: csrfTokenIn(page.text) });
      expect(res.status).toBe(404);
      expect(res.text).toContain('There is no such session on your account.');
    }
    expect(await t.deps.sessions.listByUser(victim.id)).toHaveLength(1);
  });

  it('asks for recent authentication before signing anything out', async () => {
    const user = await createUser(t);
    await device(user, USER_AGENTS.iphoneSafari, '198.51.100.60');
    const here = await signedIn(t, user);
    t.clock.advance(11 * MINUTE);
    const page = await here.get('/profile/sessions');
    const res = await here.post('/profile/sessions/revoke-others', { _csrf: csrfTokenIn(page.text) });
    expect(res.headers.location).toBe('/reauth?next=%2Fprofile%2Fsessions');
    expect(await t.deps.sessions.listByUser(user.id)).toHaveLength(2);
  });

  it('never lists expired sessions, and shows when each live one expires', async () => {
    const user = await createUser(t);
    await signedIn(t, user);
    t.clock.advance(20 * MINUTE);
    const here = await signedIn(t, user);
    t.clock.advance(15 * MINUTE);
    const page = await here.get('/profile/sessions');
    expect(page.text).toContain('1 active session.');
    expect(page.text).toMatch(/Expires\s*<\/dt><dd><time datetime="[^"]+" title="[^"]+">in 15 minutes<\/time>/);
  });

  it('needs a signed-in person', async () => {
    expect((await request(t.app).get('/profile/sessions').set('Accept', 'text/html')).headers.location).toBe('/login?next=%2Fprofile%2Fsessions');
  });
});

describe('The limit on sessions per account', () => {
  const small = describeApp({ MAX_SESSIONS_PER_USER: '3' });

  it('ends the oldest session when one more device signs in', async () => {
    const user = await createUser(small);
    const first = await signedIn(small, user);
    for (let i = 0; i < 3; i++) {
      small.clock.advance(1000);
      await signedIn(small, user);
    }
    expect(await small.deps.sessions.listByUser(user.id)).toHaveLength(3);
    expect((await first.get('/profile/account')).headers.location).toMatch(/^\/login/);
    expect((await first.get('/login')).text).toContain('You were signed out because your account is signed in on too many devices.');
  });
});

describe('Operator commands that end sessions', () => {
  it('end every session of one account, and the devices are told an administrator did it', async () => {
    const user = await createUser(t);
    const a = await signedIn(t, user);
    await signedIn(t, user);
    const bystander = await signedIn(t, await createUser(t));
    expect(await t.services.adminPersonActions.endSessions(OPERATOR_CONTEXT, user.username)).toBe(2);
    expect((await a.get('/profile/account')).headers.location).toMatch(/^\/login/);
    expect((await a.get('/login')).text).toContain('An administrator signed you out.');
    expect((await bystander.get('/profile/account')).status).toBe(200);
  });

  it('end everyone\'s sessions', async () => {
    const visitors = [await signedIn(t, await createUser(t)), await signedIn(t, await createUser(t))];
    expect(await t.services.sessions.revokeEveryone()).toBeGreaterThanOrEqual(2);
    for (const v of visitors) expect((await v.get('/profile/account')).headers.location).toMatch(/^\/login/);
  });
});
