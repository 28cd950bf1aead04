// An account that has not proven its own address must not claim a second one for reset links.
import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { newSecretToken } from '../../../src/core/one-time-links/one-time-token';

const ORIGIN = 'http://localhost:3000';
const MESSAGE = 'Verify your email address first: a recovery address can be added once your main address is confirmed.';
const t = describeApp({ BASE_URL: ORIGIN }, { mail: true });

async function addRecoveryAddress(visitor: Visitor, address: string) {
  const tab = await visitor.get('/profile/account');
  return visitor.post('/profile/account/recovery-email', { _csrf: csrfTokenIn(tab.text), recovery_email: address });
}

describe('Adding a recovery address', () => {
  it('is refused while the primary address is unverified, with a message on the form, and nothing is mailed', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const page = await addRecoveryAddress(visitor, 'someone-else@example.net');
    expect(page.status).toBe(422);
    expect(page.text).toContain(MESSAGE);
    expect(page.text).toContain('value="someone-else@example.net"');
    await t.deliverMail();
    expect(t.mail.to('someone-else@example.net')).toHaveLength(0);
    expect((await t.repos.users.findById(user.id))?.recoveryEmail).toBeNull();
  });

  it('says so in German too', async () => {
    const user = await createUser(t, { language: 'de' });
    const page = await addRecoveryAddress(await signedIn(t, user), 'jemand@example.net');
    expect(page.status).toBe(422);
    expect(page.text).toContain('Bestätigen Sie zuerst Ihre E-Mail-Adresse');
  });

  it('works once the primary address is verified', async () => {
    const user = await createUser(t, { emailVerified: true });
    const res = await addRecoveryAddress(await signedIn(t, user), 'my-spare@example.net');
    expect(res.status).toBe(303);
    await t.deliverMail();
    expect(t.mail.last('my-spare@example.net').subject).toBe('Confirm your recovery address for Atrium');
  });

  it('cannot be confirmed by a link issued while the primary address was unverified', async () => {
    const user = await createUser(t);
    const { token, hash } = newSecretToken();
    const now = t.clock.now();
    await t.repos.users.setRecoveryEmail(user.id, 'pre-claimed@example.net', null, now);
    await t.repos.oneTimeTokens.insert({ purpose: 'recovery_email_verify', userId: user.id, tokenHash: hash, payload: { email: 'pre-claimed@example.net' }, expiresAt: new Date(now.getTime() + 3_600_000), now });
    const path = `/confirm-recovery-email/${token}`;
    const visitor = new Visitor(t.app);
    const page = await visitor.get(path);
    const res = await visitor.post(path, { _csrf: csrfTokenIn(page.text) });
    expect(res.status).toBe(404);
    expect((await t.repos.users.findById(user.id))?.recoveryEmailVerifiedAt).toBeNull();
  });
});
