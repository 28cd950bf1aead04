// Uploading and removing the avatar over the API, and deleting the account.
import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';
import { htmlPretendingToBePng, oversizedJpeg, solidPng } from '../../helpers/images';
import { BASE, apiHelpers, expectApiHeaders, expectError } from './api-test-helpers';

const t = describeApp({}, { mail: true });
const { api, signInForm, tokenFor } = apiHelpers(t);

describe('PUT and DELETE /users/me/avatar', () => {
  const avatarPath = (url: string) => new URL(url).pathname;

  it('a raw PNG body: 200 with the avatar URL; the profile page and GET /users/me show it; DELETE removes it', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const secret = await tokenFor(user);
    const res = await api('put', '/users/me/avatar', secret).set('Content-Type', 'image/png').send(await solidPng());
    expect(res.status).toBe(200);
    expectApiHeaders(res);
    expect(res.body).toEqual({ avatar_url: expect.stringMatching(/^http:\/\/localhost:3000\/avatars\/[^/]+\/256\.webp$/) });
    const image = await request(t.app).get(avatarPath(res.body.avatar_url));
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/webp');
    expect((await api('get', '/users/me', secret)).body.avatar_url).toBe(res.body.avatar_url);
    expect((await visitor.get('/profile/account')).text).toContain(`<img src="${avatarPath(res.body.avatar_url)}"`);

    const removed = await api('delete', '/users/me/avatar', secret);
    expect(removed.status).toBe(204);
    expect(removed.text).toBe('');
    expectApiHeaders(removed);
    expect((await api('get', '/users/me', secret)).body.avatar_url).toBeNull();
    expect((await visitor.get('/profile/account')).text).not.toContain(`<img src="${avatarPath(res.body.avatar_url)}"`);
    // Removing again is harmless.
    expect((await api('delete', '/users/me/avatar', secret)).status).toBe(204);
  });

  it('a multipart upload with an avatar part works too', async () => {
    const user = await createUser(t);
    const secret = await tokenFor(user);
    const res = await api('put', '/users/me/avatar', secret).attach('avatar', await solidPng(64, 64, { r: 200, g: 0, b: 0 }), { filename: 'me.png', contentType: 'image/png' });
    expect(res.status).toBe(200);
    expect(res.body.avatar_url).toMatch(/\/avatars\/[^/]+\/256\.webp$/);
    expect((await t.repos.users.findById(user.id))?.avatarHash).toBeTruthy();
  });

  it('refuses other media types (415), non-images (422), a missing part (422) and oversized images (413)', async () => {
    const user = await createUser(t);
    const secret = await tokenFor(user);
    const text = await api('put', '/users/me/avatar', secret).set('Content-Type', 'text/plain').send('hello');
    expectError(text, 415, 'unsupported_media_type');
    expect(text.body.error.message).toBe('Send the image as the request body (Content-Type image/…) or as multipart form data.');
    expectApiHeaders(text);
    expectError(await api('put', '/users/me/avatar', secret).send({ avatar: 'data:image/png;base64,AAAA' }), 415, 'unsupported_media_type');
    expectError(await api('put', '/users/me/avatar', secret).set('Content-Type', 'image/png').send(htmlPretendingToBePng), 422, 'validation_failed', { avatar: 'That file is not an image we accept. Choose a JPEG, PNG, WebP, GIF or AVIF image.' });
    expectError(await api('put', '/users/me/avatar', secret).field('picture', 'none'), 422, 'validation_failed', { avatar: 'Choose an image to upload' });
    expectError(await api('put', '/users/me/avatar', secret).set('Content-Type', 'image/jpeg').send(oversizedJpeg(6)), 413, 'payload_too_large');
    expectError(await api('put', '/users/me/avatar', secret).attach('avatar', oversizedJpeg(6), { filename: 'big.jpg', contentType: 'image/jpeg' }), 413, 'payload_too_large');
    expect((await t.repos.users.findById(user.id))?.avatarHash).toBeNull();
  });

  it('from the browser session: multipart and raw uploads need the CSRF token', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    await visitor.get('/profile/account');
    const csrf = visitor.csrf();
    const png = await solidPng(32, 32);
    const noToken = await visitor.agent.put(`${BASE}/users/me/avatar`).set('Accept', 'application/json').attach('avatar', png, { filename: 'a.png', contentType: 'image/png' });
    expectError(noToken, 403, 'csrf_failed');
    const rawNoToken = await visitor.agent.put(`${BASE}/users/me/avatar`).set('Accept', 'application/json').set('Content-Type', 'image/png').send(png);
    expectError(rawNoToken, 403, 'csrf_failed');
    expect((await t.repos.users.findById(user.id))?.avatarHash).toBeNull();
    const ok = await visitor.agent.put(`${BASE}/users/me/avatar`).set('Accept', 'application/json').set('X-CSRF-Token', csrf).attach('avatar', png, { filename: 'a.png', contentType: 'image/png' });
    expect(ok.status).toBe(200);
    expect((await t.repos.users.findById(user.id))?.avatarHash).toBeTruthy();
  });
});

describe('DELETE /users/me', () => {
  it('204: the account, its sessions and its tokens are gone, and a farewell is mailed', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    expect(await t.deps.sessions.listByUser(user.id)).toHaveLength(1);
    const secret = await tokenFor(user);
    const res = await api('delete', '/users/me', secret).send({ current_password: user.password });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectApiHeaders(res);
    expect(await t.deps.db('users').where({ id: user.id })).toHaveLength(0);
    expect(await t.deps.db('api_tokens').where({ user_id: user.id })).toHaveLength(0);
    expect(await t.deps.sessions.listByUser(user.id)).toEqual([]);
    expect((await visitor.get('/profile/account')).headers.location).toMatch(/^\/login/);
    expectError(await api('get', '/users/me', secret), 401, 'invalid_credentials');
    expect((await signInForm(user.username, user.password)).status).toBe(422);
    await t.deliverMail();
    expect(t.mail.to(user.email).map((m) => m.subject)).toContain('Your Atrium account has been deleted');
  });

  it('refuses a missing or mistyped current_password and keeps the account', async () => {
    const user = await createUser(t);
    const secret = await tokenFor(user);
    const missing = await api('delete', '/users/me', secret);
    expectError(missing, 422, 'validation_failed', { current_password: 'Send your current password as current_password.' });
    expectApiHeaders(missing);
    expectError(await api('delete', '/users/me', secret).send({ current_password: 12345 }), 422, 'validation_failed', { current_password: 'Enter this as text' });
    expectError(await api('delete', '/users/me', secret).send({ current_password: 'x'.repeat(1025) }), 422, 'validation_failed', { current_password: 'Must be 1024 characters or fewer' });
    expect(await t.repos.users.findById(user.id)).toBeDefined();
  });
});
