// What one upload may cost the server, and how many uploads an account may make.
import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { csrfTokenIn, type Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import * as images from '../../helpers/images';

const t = describeApp();

async function upload(visitor: Visitor, file: Buffer, contentType = 'image/png') {
  const page = await visitor.get('/profile/account');
  return visitor.agent.post('/profile/account/avatar').set('Accept', 'text/html').field('_csrf', csrfTokenIn(page.text)).attach('avatar', file, { filename: 'me.png', contentType });
}

async function apiUpload(secret: string, file: Buffer, contentType = 'image/png') {
  return request(t.app).put('/api/v1/users/me/avatar').set('Authorization', `Bearer ${secret}`).set('Content-Type', contentType).send(file);
}

async function tokenFor(user: { id: string }) {
  const owner = await t.repos.users.findById(user.id);
  const { secret } = await t.services.apiTokens.create(owner as NonNullable<typeof owner>, { name: 'avatar script', scope: 'write', expires: '30' }, { ip: '127.0.0.1', userAgent: 'test', locale: 'en' });
  return secret;
}

describe('The pixels an avatar may have', () => {
  it('refuses a 200 kB PNG that declares 4999 x 4999 pixels of 16-bit RGBA, counting the bytes it would decode to', async () => {
    const user = await createUser(t);
    const bomb = images.sixteenBitPng(4999, 4999);
    expect(bomb.length).toBeLessThan(250_000);
    const page = await upload(await signedIn(t, user), bomb);
    expect(page.status).toBe(422);
    expect(page.text).toContain('That image has too many pixels (more than 9 million). Choose a smaller one.');
    const api = await apiUpload(await tokenFor(user), bomb);
    expect(api.status).toBe(422);
    expect(api.body.error.fields).toEqual({ avatar: 'That image has too many pixels (more than 9 million). Choose a smaller one.' });
    expect((await t.repos.users.findById(user.id))?.avatarHash).toBeNull();
  });

  it('still takes a 16-bit PNG of a sensible size', async () => {
    const user = await createUser(t);
    const res = await upload(await signedIn(t, user), images.sixteenBitPng(1600, 1200));
    expect(res.status).toBe(303);
    expect((await t.repos.users.findById(user.id))?.avatarHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('allows AVIF, whose decoder costs far more per pixel, at most 4 megapixels', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const large = await upload(visitor, await images.solidAvif(2100, 2000), 'image/avif');
    expect(large.status).toBe(422);
    expect(large.text).toContain('That image has too many pixels (more than 4 million). Choose a smaller one.');
    expect((await upload(visitor, await images.solidAvif(640, 480), 'image/avif')).status).toBe(303);
  });
});

describe('Uploading avatars again and again', () => {
  it('is limited per account, page and API together, with a 429 that says when to try again', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const secret = await tokenFor(user);
    const small = await images.solidPng(64, 64);
    for (let i = 0; i < 10; i++) {
      expect((await upload(visitor, small)).status).toBe(303);
      expect((await apiUpload(secret, small)).status).toBe(200);
    }
    const page = await upload(visitor, small);
    expect(page.status).toBe(429);
    expect(Number(page.headers['retry-after'])).toBeGreaterThan(60);
    expect(page.text).toMatch(/You can try again in \d+ minutes/);
    const api = await apiUpload(secret, small);
    expect(api.status).toBe(429);
    expect(api.body.error.code).toBe('rate_limited');
    expect(api.headers['retry-after']).toBeDefined();

    const someoneElse = await signedIn(t, await createUser(t));
    expect((await upload(someoneElse, small)).status).toBe(303);
  });
});
