import { describeApp, type TestApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { atSecondStep, enrolTotp } from '../../helpers/mfa';
import { totpAt } from '../../helpers/totp';

const STEP = 30_000;

/** The code a phone whose clock reads `phoneTime` shows, posted at the second step of a sign-in. */
async function signInWithPhoneAt(t: TestApp, user: { username: string; password: string }, secret: string, phoneTime: number) {
  const { visitor, page } = await atSecondStep(t, user);
  return visitor.post('/login/2fa', { _csrf: csrfTokenIn(page), code: totpAt(secret, phoneTime) });
}

describe('With TOTP_DRIFT_STEPS=1, a server clock that differs from the phone by one step', () => {
  const t = describeApp({ TOTP_DRIFT_STEPS: '1' });

  async function enrolled() {
    const user = await createUser(t);
    const { secret } = await enrolTotp(t, await signedIn(t, user));
    return { user, secret };
  }

  it('accepts the code when the server is 30 seconds behind the phone', async () => {
    const { user, secret } = await enrolled();
    const phone = t.clock.now().getTime() + 5 * STEP;
    t.clock.set(new Date(phone - STEP));
    expect((await signInWithPhoneAt(t, user, secret, phone)).status).toBe(303);
  });

  it('accepts the code when the server is 30 seconds ahead of the phone', async () => {
    const { user, secret } = await enrolled();
    const phone = t.clock.now().getTime() + 5 * STEP;
    t.clock.set(new Date(phone + STEP));
    expect((await signInWithPhoneAt(t, user, secret, phone)).status).toBe(303);
  });

  it('refuses a code two steps away on either side', async () => {
    const { user, secret } = await enrolled();
    const server = t.clock.now().getTime() + 5 * STEP;
    t.clock.set(new Date(server));
    expect((await signInWithPhoneAt(t, user, secret, server + 2 * STEP)).status).toBe(422);
    expect((await signInWithPhoneAt(t, user, secret, server - 2 * STEP)).status).toBe(422);
  });

  it('still takes each code once, and a later step used makes the earlier ones unusable', async () => {
    const { user, secret } = await enrolled();
    const server = t.clock.now().getTime() + 5 * STEP;
    t.clock.set(new Date(server));
    expect((await signInWithPhoneAt(t, user, secret, server + STEP)).status).toBe(303);
    expect((await signInWithPhoneAt(t, user, secret, server + STEP)).status).toBe(422);
    expect((await signInWithPhoneAt(t, user, secret, server)).status).toBe(422);
    expect((await signInWithPhoneAt(t, user, secret, server - STEP)).status).toBe(422);
    t.clock.advance(2 * STEP);
    expect((await signInWithPhoneAt(t, user, secret, server + 2 * STEP)).status).toBe(303);
  });
});

describe('With the default TOTP_DRIFT_STEPS=0', () => {
  const t = describeApp();

  it('accepts only the code of the current step, neither the one before nor the one after', async () => {
    const user = await createUser(t);
    const { secret } = await enrolTotp(t, await signedIn(t, user));
    const server = t.clock.now().getTime();
    expect((await signInWithPhoneAt(t, user, secret, server + STEP)).status).toBe(422);
    expect((await signInWithPhoneAt(t, user, secret, server - STEP)).status).toBe(422);
    expect((await signInWithPhoneAt(t, user, secret, server)).status).toBe(303);
  });
});
