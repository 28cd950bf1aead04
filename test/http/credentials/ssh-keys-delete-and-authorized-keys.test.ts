import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { COMMENT, MINUTE, addKeyOk, keygen, keysOn, openKeyDir, removeKeyDir, skEcdsa, sshKeygenListing } from './ssh-key-test-helpers';

const t = describeApp({}, { mail: true });
let dir: string;
beforeAll(() => {
  dir = openKeyDir();
});
afterAll(() => removeKeyDir());

const authorizedKeys = (username: string) => request(t.app).get(`/users/${username}.keys`);

describe('Deleting a key', () => {
  it('needs a recent sign-in, then deletes the key and says so', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const key = keygen('ed25519');
    const shown = await addKeyOk(visitor, 'Laptop', key.line);

    t.clock.advance(11 * MINUTE);
    const late = await visitor.post(shown.deleteAction, { _csrf: visitor.csrf() });
    expect(late.status).toBe(303);
    expect(late.headers.location).toBe('/reauth?next=%2Fprofile%2Fkeys');
    expect(await t.services.sshKeys.list(user)).toHaveLength(1);

    const fresh = await signedIn(t, user);
    const page = await fresh.get('/profile/keys');
    const res = await fresh.post(shown.deleteAction, { _csrf: csrfTokenIn(page.text) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/profile/keys');
    const after = await fresh.get('/profile/keys');
    expect(after.text).toContain('The SSH key was deleted.');
    expect(after.text).toContain('You have no SSH keys.');
    expect(keysOn(after.text)).toEqual([]);
    expect((await authorizedKeys(user.username)).text).toBe('');

    // The key is free again, for another account too.
    await addKeyOk(await signedIn(t, await createUser(t)), 'Reused', key.line);
  });

  it('an unknown id, a non-UUID id or another account\'s key is not found', async () => {
    const owner = await createUser(t);
    const shown = await addKeyOk(await signedIn(t, owner), 'Owned', keygen('ed25519').line);

    const visitor = await signedIn(t, await createUser(t));
    const page = await visitor.get('/profile/keys');
    const csrf = csrfTokenIn(page.text);
    const unknown = await visitor.post(`/profile/keys/${crypto.randomUUID()}/delete`, { _csrf: csrf });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('There is no such SSH key.');
    expect((await visitor.post('/profile/keys/not-a-key/delete', { _csrf: csrf })).status).toBe(404);
    expect((await visitor.post("/profile/keys/1'%20or%201=1/delete", { _csrf: csrf })).status).toBe(404);
    const others = await visitor.post(shown.deleteAction, { _csrf: csrf });
    expect(others.status).toBe(404);
    expect(others.text).toContain('There is no such SSH key.');
    expect((await t.services.sshKeys.list(owner)).map((k) => k.title)).toEqual(['Owned']);
  });
});

describe('The public authorized_keys file, /users/<username>.keys', () => {
  it('lists each key as "type base64", without comments, in the order added', async () => {
    const tag = crypto.randomBytes(3).toString('hex');
    const user = await createUser(t, { username: `jane.doe${tag}` });
    const visitor = await signedIn(t, user);
    const keys = [keygen('ed25519'), keygen('rsa', 2048), skEcdsa(), keygen('ecdsa', 384)];
    for (const [i, key] of keys.entries()) {
      await addKeyOk(visitor, `Key ${i + 1}`, key.line);
      // People add keys one after the other, not within the same millisecond.
      t.clock.advance(1000);
    }
    const page = await visitor.get('/profile/keys');
    expect(keysOn(page.text).map((k) => k.title)).toEqual(['Key 1', 'Key 2', 'Key 3', 'Key 4']);
    expect(page.text).toContain(`<a href="/users/${user.username}.keys">`);

    const res = await authorizedKeys(user.username);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toBe(keys.map((k) => `${k.publicKey}\n`).join(''));
    expect(res.text).not.toContain(COMMENT);
  });

  it('a key added through the form is served exactly as in its .pub file, minus the comment', async () => {
    const user = await createUser(t);
    const key = keygen('ecdsa', 521);
    await addKeyOk(await signedIn(t, user), 'Only key', key.line);
    const res = await authorizedKeys(user.username);
    expect(res.text).toBe(`${key.publicKey}\n`);
    // ssh-keygen reads the served line as the very same key.
    const served = path.join(dir, `served-${user.username}.pub`);
    fs.writeFileSync(served, res.text);
    expect(sshKeygenListing(served).fingerprint).toBe(sshKeygenListing(key.pub).fingerprint);
  });

  it('is empty for an account without keys, and not found for an unknown username', async () => {
    const user = await createUser(t);
    const empty = await authorizedKeys(user.username);
    expect(empty.status).toBe(200);
    expect(empty.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(empty.text).toBe('');
    expect((await authorizedKeys(`nobody${crypto.randomBytes(4).toString('hex')}`)).status).toBe(404);
  });
});
