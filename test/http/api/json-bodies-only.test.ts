// A page on another site can post a form to the API, and the browser adds HTTP Basic
// credentials it has cached for this site. Operations that read a JSON body take only JSON,
// which no cross-site form can send without a preflight.
import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { BASE, ed25519Key, expectError } from './api-test-helpers';

const t = describeApp();

const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

async function personWithAppPassword() {
  const user = await createUser(t);
  const visitor = await signedIn(t, user);
  const form = await visitor.get('/profile/app-passwords');
  await visitor.agent.post('/profile/app-passwords').type('form').send({ _csrf: csrfTokenIn(form.text), name: 'Sync', scope: 'write' });
  const secret = /<code id="new-secret">([a-z0-9-]+)<\/code>/.exec((await visitor.get('/profile/app-passwords')).text)?.[1];
  if (!secret) throw new Error('No app password on the page');
  return { user, authorization: basic(user.username, secret) };
}

/** The bodies a form on another site can send without a preflight. */
const CROSS_SITE_BODIES: Array<[string, (r: request.Test, fields: Record<string, string>) => request.Test]> = [
  ['application/x-www-form-urlencoded', (r, fields) => r.type('form').send(fields)],
  ['multipart/form-data', (r, fields) => Object.entries(fields).reduce((req, [k, v]) => req.field(k, v), r)],
  ['text/plain', (r, fields) => r.set('Content-Type', 'text/plain').send(JSON.stringify(fields))],
];

describe('A form on another site posting to the API with cached HTTP Basic credentials', () => {
  it.each(CROSS_SITE_BODIES)('cannot add an SSH key with a %s body: 415, and no key is added', async (_type, send) => {
    const { user, authorization } = await personWithAppPassword();
    const res = await send(request(t.app).post(`${BASE}/users/me/ssh-keys`).set('Authorization', authorization), { title: 'Planted', key: ed25519Key().line });
    expectError(res, 415, 'unsupported_media_type');
    expect(res.body.error.message).toBe('Send the body as JSON (Content-Type: application/json).');
    expect(await t.deps.db('ssh_keys').where({ user_id: user.id })).toHaveLength(0);
  });

  it('is told so in German when the browser asks for German', async () => {
    const { authorization } = await personWithAppPassword();
    const res = await request(t.app).put(`${BASE}/users/me`).set('Authorization', authorization).set('Accept-Language', 'de').type('form').send({ first_name: 'Mallory' });
    expectError(res, 415, 'unsupported_media_type');
    expect(res.body.error.message).toBe('Senden Sie den Inhalt als JSON (Content-Type: application/json).');
  });
});

describe('The same credentials from a script that sends JSON', () => {
  it('add the key (a JSON type with a charset is JSON too)', async () => {
    const { user, authorization } = await personWithAppPassword();
    const res = await request(t.app)
      .post(`${BASE}/users/me/ssh-keys`)
      .set('Authorization', authorization)
      .set('Content-Type', 'application/json; charset=utf-8')
      .send(JSON.stringify({ title: 'Laptop', key: ed25519Key().line }));
    expect(res.status).toBe(201);
    expect(await t.deps.db('ssh_keys').where({ user_id: user.id })).toHaveLength(1);
  });
});

describe('Every operation that reads a JSON body, as the OpenAPI document lists them', () => {
  it('refuses a urlencoded body with 415 and documents that answer', async () => {
    const { authorization } = await personWithAppPassword();
    const document = (await request(t.app).get(`${BASE}/openapi.json`)).body as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> }; responses: Record<string, unknown> }>> };
    const jsonOperations = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, op]) => op.requestBody?.content['application/json'])
        .map(([method, op]) => ({ method, path: path.replace('{id}', '00000000-0000-4000-8000-000000000000'), op })),
    );
    expect(jsonOperations.map(({ method, path }) => `${method} ${path}`)).toEqual(expect.arrayContaining(['post /users/me/ssh-keys', 'put /users/me', 'post /users/me/tokens', 'delete /users/me']));
    // The admin API lets only administrators as far as its body check: one calls it from the browser session.
    const admin = await signedIn(t, await createUser(t, { admin: true }));
    await admin.get('/profile/account');
    for (const { method, path, op } of jsonOperations) {
      const verb = method as 'post' | 'put' | 'delete';
      const call = path.startsWith('/admin/') ? admin.agent[verb](`${BASE}${path}`).set('X-CSRF-Token', admin.csrf()) : request(t.app)[verb](`${BASE}${path}`).set('Authorization', authorization);
      const res = await call.type('form').send({ anything: 'x' });
      expect({ operation: `${method} ${path}`, status: res.status, code: res.body.error?.code }).toEqual({ operation: `${method} ${path}`, status: 415, code: 'unsupported_media_type' });
      expect({ operation: `${method} ${path}`, documented: '415' in op.responses }).toEqual({ operation: `${method} ${path}`, documented: true });
    }
  });
});
