// Found by the raw HTTP fuzzer (test/fuzz/raw-http.test.ts): cookie-parser reads a cookie
// written `j:{...}` as JSON, so a session cookie sent that way reached express-session as
// an object, and every page answered 500.
import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';

const t = describeApp();

describe('Cookies written as JSON (`j:` followed by JSON)', () => {
  it.each(['sid', 'did', 'lang', 'theme', 'tz', 'signed_in'])('in %s, are plain strings that name nothing: the page is shown', async (name) => {
    for (const value of ['j:{"userId":"00000000-0000-4000-8000-000000000000"}', 'j:["s:x.y"]', 'j:1', 'j:null']) {
      const res = await request(t.app).get('/login').set('Accept', 'text/html').set('Cookie', `${name}=${encodeURIComponent(value)}`);
      expect({ name, value, status: res.status }).toEqual({ name, value, status: 200 });
    }
  });

  it('do not get in the way of the real session: a signed-in person sent one more stays signed in', async () => {
    const browser = await signedIn(t, await createUser(t));
    const res = await browser.agent.get('/profile/account').set('Accept', 'text/html').set('Cookie', `tz=${encodeURIComponent('j:{"a":1}')}`);
    expect(res.status).toBe(200);
  });
});
