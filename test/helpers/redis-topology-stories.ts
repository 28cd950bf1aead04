import { USER_AGENTS, Visitor, csrfTokenIn } from './browser-agent';
import type { TestApp } from './app';
import { createUser, signedIn } from './factories';

/**
 * The stories every Redis topology must tell the same way: signing in on two devices,
 * seeing both on the Sessions tab and signing the other out; and password guesses
 * limited (the app runs with SIGNIN_FAILURES_PER_ACCOUNT_AND_IP=3 and TRUST_PROXY).
 */
export async function signOutAnotherDevice(t: TestApp): Promise<void> {
  const user = await createUser(t);
  const phone = await signedIn(t, user, USER_AGENTS.iphoneSafari);
  const here = await signedIn(t, user, USER_AGENTS.chromeWindows);
  const page = await here.get('/profile/sessions');
  expect(page.status).toBe(200);
  expect(page.text).toContain('2 active sessions.');
  const phoneId = (await t.deps.sessions.listByUser(user.id)).find((s) => s.data.device?.deviceModel === 'iPhone')?.id as string;
  const res = await here.post(`/profile/sessions/${phoneId}/revoke`, { _csrf: csrfTokenIn(page.text) });
  expect(res.headers.location).toBe('/profile/sessions');
  expect((await phone.get('/profile/account')).headers.location).toBe('/login?next=%2Fprofile%2Faccount');
  expect((await phone.get('/login')).text).toContain('You were signed out from another device.');
  expect((await here.get('/profile/account')).status).toBe(200);
}

export async function guessesAreLimited(t: TestApp, ip: string): Promise<void> {
  const user = await createUser(t);
  const attempt = async () => {
    const visitor = new Visitor(t.app);
    const page = await visitor.agent.get('/login').set('X-Forwarded-For', ip);
    return visitor.agent.post('/login').set('X-Forwarded-For', ip).set('Accept', 'text/html').type('form').send({ _csrf: csrfTokenIn(page.text), identifier: user.username, password: 'wrong password one' });
  };
  for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(422);
  expect((await attempt()).status).toBe(429);
}
