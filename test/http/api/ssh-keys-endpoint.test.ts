// Adding, listing and removing SSH public keys over the API, as the Keys tab does.
import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';
import { UNKNOWN_ID, apiHelpers, ctx, ed25519Key, expectApiHeaders, expectError, iso } from './api-test-helpers';

const t = describeApp({}, { mail: true });
const { api, tokenFor } = apiHelpers(t);

describe('GET, POST and DELETE /users/me/ssh-keys', () => {
  it('POST adds a key (201) that the keys page and the authorized_keys URL show; GET lists it', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const secret = await tokenFor(user);
    const key = ed25519Key('jane@work-laptop');
    const res = await api('post', '/users/me/ssh-keys', secret).send({ title: 'Work laptop', key: `${key.line}\n` });
    expect(res.status).toBe(201);
    expectApiHeaders(res);
    const expected = { id: expect.stringMatching(/^[0-9a-f-]{36}$/), title: 'Work laptop', type: 'ED25519', bits: 256, fingerprint: key.fingerprint, comment: 'jane@work-laptop', public_key: key.publicKey, created_at: iso };
    expect(res.body).toEqual(expected);

    const page = await visitor.get('/profile/keys');
    expect(page.text).toContain('<h3 class="break">Work laptop</h3>');
    expect(page.text).toContain(key.fingerprint);
    expect((await request(t.app).get(`/users/${user.username}.keys`)).text).toBe(`${key.publicKey}\n`);

    const list = await api('get', '/users/me/ssh-keys', await tokenFor(user, 'read'));
    expect(list.status).toBe(200);
    expect(list.body).toEqual([expected]);
  });

  it('POST refuses bad input field by field: missing, mistyped, overlong, private, malformed, duplicate', async () => {
    const user = await createUser(t);
    const secret = await tokenFor(user);
    const post = (body: object) => api('post', '/users/me/ssh-keys', secret).send(body);
    const key = ed25519Key();
    expectError(await post({}), 422, 'validation_failed', { title: 'Enter a title for the key.', key: 'Paste your public key.' });
    expectError(await post({ title: 7, key: key.line }), 422, 'validation_failed', { title: 'Enter this as text' });
    expectError(await post({ title: 'x', key: 7 }), 422, 'validation_failed', { key: 'Enter this as text' });
    expectError(await post({ title: 'x'.repeat(101), key: key.line }), 422, 'validation_failed', { title: 'Must be 100 characters or fewer' });
    expectError(await post({ title: 'x', key: 'A'.repeat(16_385) }), 422, 'validation_failed', { key: 'Must be 16384 characters or fewer' });
    expectError(await post({ title: 'x', key: '   ' }), 422, 'validation_failed', { key: 'Paste your public key.' });
    expectError(await post({ title: 'x', key: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----' }), 422, 'validation_failed', { key: /This is a private key/ });
    expectError(await post({ title: 'x', key: 'ssh-ed25519 not*base64 me' }), 422, 'validation_failed', { key: 'This is not a valid SSH public key. Paste the whole line from your .pub file.' });
    expectError(await post({ title: 'x', key: '<script>alert(1)</script>' }), 422, 'validation_failed', { key: 'This is not a valid SSH public key. Paste the whole line from your .pub file.' });
    expect((await post({ title: 'First', key: key.line })).status).toBe(201);
    expectError(await post({ title: 'Again', key: key.line }), 422, 'validation_failed', { key: 'This key is already in use. Each key can belong to one account only.' });
    expect(await t.services.sshKeys.list(user)).toHaveLength(1);
  });

  it('POST stores a hostile title and comment as text: returned as sent, escaped on the keys page', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const hostile = '<script>alert(1)</script>';
    const res = await api('post', '/users/me/ssh-keys', await tokenFor(user)).send({ title: hostile, key: ed25519Key('<img src=x onerror=alert(2)>').line });
    expect(res.status).toBe(201);
    expect(res.body.title).toBe(hostile);
    const page = await visitor.get('/profile/keys');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain(hostile);
    expect(page.text).not.toContain('<img src=x');
  });

  it('DELETE removes a key: 204, and the keys page no longer shows it', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const secret = await tokenFor(user);
    const keep = await t.services.sshKeys.add(user, { title: 'Keeper', key: ed25519Key().line }, ctx);
    const doomed = await t.services.sshKeys.add(user, { title: 'Old desktop', key: ed25519Key().line }, ctx);
    expect((await visitor.get('/profile/keys')).text).toContain('Old desktop');
    const res = await api('delete', `/users/me/ssh-keys/${doomed.id}`, secret);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectApiHeaders(res);
    const page = await visitor.get('/profile/keys');
    expect(page.text).not.toContain('Old desktop');
    expect(page.text).not.toContain(doomed.fingerprint);
    expect(page.text).toContain(keep.fingerprint);
    expect((await request(t.app).get(`/users/${user.username}.keys`)).text).toBe(`${keep.publicKey}\n`);
  });

  it('DELETE of an unknown, malformed or someone else\'s key id is a 404, never a 500', async () => {
    const user = await createUser(t);
    const other = await createUser(t);
    const othersKey = await t.services.sshKeys.add(other, { title: 'Not yours', key: ed25519Key().line }, ctx);
    const secret = await tokenFor(user);
    const unknown = await api('delete', `/users/me/ssh-keys/${UNKNOWN_ID}`, secret);
    expectError(unknown, 404, 'not_found');
    expect(unknown.body.error.message).toBe('There is no such SSH key.');
    expectApiHeaders(unknown);
    expectError(await api('delete', '/users/me/ssh-keys/1%20OR%201=1', secret), 404, 'not_found');
    expectError(await api('delete', `/users/me/ssh-keys/${othersKey.id.toUpperCase()}x`, secret), 404, 'not_found');
    expectError(await api('delete', `/users/me/ssh-keys/${othersKey.id}`, secret), 404, 'not_found');
    expect(await t.services.sshKeys.list(other)).toHaveLength(1);
  });
});
