import type { TestApp } from './app';
import { Visitor, csrfTokenIn } from './browser-agent';
import { secretOnPage, totpAt } from './totp';

const STEP = 30_000;

/**
 * Turns the authenticator app on through the Security tab and saves the recovery codes;
 * returns the secret and the ten codes. The clock moves on a step, so that the next code
 * is a fresh one.
 */
export async function enrolTotp(t: TestApp, visitor: Visitor): Promise<{ secret: string; codes: string[] }> {
  const setup = await visitor.get('/profile/security/totp');
  const secret = secretOnPage(setup.text);
  const res = await visitor.post('/profile/security/totp', { _csrf: csrfTokenIn(setup.text), code: totpAt(secret, t.clock.now()) });
  if (res.headers.location !== '/profile/security/recovery-codes') throw new Error(`Enrolment failed with ${res.status}`);
  const page = await visitor.get('/profile/security/recovery-codes');
  const codes = [...page.text.matchAll(/<li><code>([0-9a-z]{5}-[0-9a-z]{5})<\/code><\/li>/g)].map((m) => m[1] as string);
  await visitor.post('/profile/security/recovery-codes/saved', { _csrf: csrfTokenIn(page.text), saved: 'on' });
  t.clock.advance(STEP);
  return { secret, codes };
}

/** A browser that has passed the password step and is at /login/2fa; `page` is the prompt. */
export async function atSecondStep(t: TestApp, user: { username: string; password: string }, query = ''): Promise<{ visitor: Visitor; page: string }> {
  const visitor = new Visitor(t.app);
  const res = await visitor.submit('/login', { identifier: user.username, password: user.password });
  if (res.headers.location !== '/login/2fa') throw new Error(`Expected the second step, got ${res.status} ${String(res.headers.location)}`);
  return { visitor, page: (await visitor.get(`/login/2fa${query}`)).text };
}

/** True when the browser holds a signed-in session. */
export async function isSignedIn(visitor: Visitor): Promise<boolean> {
  return (await visitor.get('/profile/account')).status === 200;
}
