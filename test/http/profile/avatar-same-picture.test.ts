import request from 'supertest';
import { describeApp } from '../../helpers/app';
import type { Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import * as images from '../../helpers/images';

const t = describeApp();

async function upload(who: Visitor, file: Buffer) {
  const page = await who.get('/profile/account');
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] as string;
  return who.agent.post('/profile/account/avatar').set('Accept', 'text/html').field('_csrf', token).attach('avatar', file, { filename: 'team-logo.png', contentType: 'image/png' });
}

async function shownAvatar(who: Visitor): Promise<string | undefined> {
  const page = await who.get('/profile/account');
  return /<img src="(\/avatars\/[0-9a-f]{64}\/96\.webp)"/.exec(page.text)?.[1];
}

describe('Two accounts choosing the same picture', () => {
  it('both keep it, at the same content-addressed URL, and one removing it leaves the other with it', async () => {
    const ada = await signedIn(t, await createUser(t));
    const grace = await signedIn(t, await createUser(t));
    const logo = await images.solidPng(300, 300, { r: 200, g: 40, b: 90 });

    expect((await upload(ada, logo)).status).toBe(303);
    expect((await upload(grace, logo)).status).toBe(303);
    const adaUrl = await shownAvatar(ada);
    const graceUrl = await shownAvatar(grace);
    expect(adaUrl).toBeDefined();
    expect(graceUrl).toBe(adaUrl);

    expect((await ada.post('/profile/account/avatar/remove', { _csrf: ada.csrf() })).status).toBe(303);
    expect(await shownAvatar(ada)).toBeUndefined();
    expect(await shownAvatar(grace)).toBe(graceUrl);
    const image = await request(t.app).get(graceUrl as string);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/webp');
    expect(image.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('works through the JSON API too, and deleting one of the accounts leaves the other its picture', async () => {
    const first = await createUser(t);
    const second = await createUser(t);
    const picture = await images.solidPng(200, 200, { r: 10, g: 200, b: 60 });
    const put = async (user: { username: string; password: string }) => {
      const visitor = await signedIn(t, user);
      const home = await visitor.get('/profile/account');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(home.text)?.[1] as string;
      return visitor.agent.put('/api/v1/users/me/avatar').set('X-CSRF-Token', csrf).set('Content-Type', 'image/png').send(picture);
    };
    const a = await put(first);
    const b = await put(second);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.body.avatar_url).toBe(a.body.avatar_url);
    await t.repos.users.delete(first.id);
    expect((await request(t.app).get(new URL(b.body.avatar_url as string).pathname)).status).toBe(200);
  });
});
