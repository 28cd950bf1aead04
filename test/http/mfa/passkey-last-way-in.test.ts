import { describeApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { addPasskey } from '../../helpers/passkey-ceremony';

const ORIGIN = 'http://localhost:3000';
const t = describeApp({ BASE_URL: ORIGIN });

describe('Removing the last two passkeys of an account without a password, at the same moment', () => {
  it('removes one and refuses the other: the account keeps a way in', async () => {
    const user = await createUser(t);
    const here = await signedIn(t, user);
    await addPasskey(here, ORIGIN, false);
    await addPasskey(here, ORIGIN, false);
    await t.deps.db('users').where({ id: user.id }).update({ password_hash: null });
    const passkeys = await t.repos.authenticators.listPasskeys(user.id);
    const tab = await here.get('/profile/security');

    const answers = await Promise.all(passkeys.map((p) => here.post(`/profile/security/passkeys/${p.id}/remove`, { _csrf: csrfTokenIn(tab.text) })));

    expect(answers.map((a) => a.status).sort()).toEqual([303, 409]);
    expect(await t.repos.authenticators.listPasskeys(user.id)).toHaveLength(1);
  });
});
