// Found by the JSON API fuzzer (test/fuzz/json-api.test.ts): JSON can carry a lone
// surrogate (`"\ud800"`), which no form can send; it passed the text rules and was stored as
// U+FFFD, a row the forms themselves refuse.
import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { createUser } from '../../helpers/factories';
import { BASE, ctx } from './api-test-helpers';

const t = describeApp();

async function tokenOf() {
  const user = await createUser(t);
  const { secret } = await t.services.apiTokens.create(user, { name: 'CI', scope: 'write', expires: '30' }, ctx);
  return { user, authorization: `Bearer ${secret}` };
}

describe('Text with a lone surrogate, sent as JSON', () => {
  it.each(['\\ud800', '\\udfff', 'Ann\\ud83d', '\\ude00e'])('is refused in a name (%s) with a message, and nothing is stored', async (escaped) => {
    const { user, authorization } = await tokenOf();
    const res = await request(t.app).put(`${BASE}/users/me`).set('Authorization', authorization).set('Content-Type', 'application/json').send(`{"first_name":"${escaped}","last_name":"Doe"}`);
    expect(res.status).toBe(422);
    expect(res.body.error.fields.first_name).toBe('Contains characters that could not be read; type it again');
    expect((await t.repos.users.findById(user.id))?.firstName).toBe(user.firstName);
  });

  it('is refused in an SSH key title', async () => {
    const { user, authorization } = await tokenOf();
    const res = await request(t.app).post(`${BASE}/users/me/ssh-keys`).set('Authorization', authorization).set('Content-Type', 'application/json').send('{"title":"Laptop \\ud800","key":"ssh-ed25519 AAAA"}');
    expect(res.status).toBe(422);
    expect(res.body.error.fields.title).toBe('Contains characters that could not be read; type it again');
    expect(await t.deps.db('ssh_keys').where({ user_id: user.id })).toHaveLength(0);
  });

  it('a surrogate pair (an emoji) is still a character like any other', async () => {
    const { user, authorization } = await tokenOf();
    const res = await request(t.app).put(`${BASE}/users/me`).set('Authorization', authorization).set('Content-Type', 'application/json').send('{"first_name":"Ann \\ud83d\\ude00","last_name":"Doe"}');
    expect(res.status).toBe(200);
    expect((await t.repos.users.findById(user.id))?.firstName).toBe('Ann 😀');
  });
});
