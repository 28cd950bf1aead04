import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';

const t = describeApp();

describe('A password change whose process died before it could end the sessions', () => {
  it('still ends every session signed in before it: the committed password has the last word', async () => {
    const user = await createUser(t);
    const laptop = await signedIn(t, user);
    expect((await laptop.get('/')).text).toContain('Hello, Jane!');
    t.clock.advance(1000);
    // What a change leaves behind when its process is killed after the commit and before the sessions end.
    await t.repos.users.setPassword(user.id, await t.services.hasher.hash('orchard velvet comet 84'), t.clock.now());

    const res = await laptop.get('/profile/account');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Fprofile%2Faccount');
    expect((await laptop.get(res.headers.location as string)).text).toContain('Your password was changed, so you were signed out.');
    expect((await laptop.get('/')).text).not.toContain('Hello, Jane!');

    const again = await signedIn(t, { username: user.username, password: 'orchard velvet comet 84' });
    expect((await again.get('/')).text).toContain('Hello, Jane!');
  });
});
