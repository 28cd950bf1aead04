import { describeApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { attest, newCredential } from '../../helpers/webauthn';

const ORIGIN = 'http://localhost:3000';
const t = describeApp({ BASE_URL: ORIGIN });

describe('A first passkey and its recovery codes', () => {
  it('are stored together or not at all: when the codes cannot be stored, the passkey is not kept and two-step stays off', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    // The database refuses recovery codes, as a full disk or a lost connection would mid-way.
    await t.deps.db.raw(`create or replace function refuse_recovery_codes() returns trigger language plpgsql as $$ begin raise exception 'recovery codes refused'; end $$`);
    await t.deps.db.raw('create trigger refuse_recovery_codes before insert on recovery_codes for each row execute function refuse_recovery_codes()');
    try {
      const tab = await visitor.get('/profile/security');
      const csrf = csrfTokenIn(tab.text);
      const post = (path: string, body: object) => visitor.agent.post(path).set('Accept', 'application/json').set('X-CSRF-Token', csrf).send(body);
      const options = await post('/profile/security/passkeys/options', {});
      const res = await post('/profile/security/passkeys', { response: attest(newCredential(), options.body, ORIGIN) });
      expect(res.status).toBe(500);
    } finally {
      await t.deps.db.raw('drop trigger refuse_recovery_codes on recovery_codes');
    }
    expect(await t.repos.authenticators.countPasskeys(user.id)).toBe(0);
    expect((await t.repos.users.findById(user.id))?.mfaEnabled).toBe(false);
    expect(await t.repos.authenticators.findRecoveryCodes(user.id)).toBeUndefined();
  });
});
