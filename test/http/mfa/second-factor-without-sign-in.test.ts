// Found by the form fuzzer (test/fuzz/browser-forms.test.ts): a code that failed its
// checks, posted to the second step with no sign-in under way, was a 500.
import { describeApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';

const t = describeApp();

describe('The second step of a sign-in, posted when no sign-in is under way', () => {
  it.each([
    ['a code that is too long', { code: 'ж'.repeat(300) }],
    ['a code sent twice', { code: ['123456', '654321'] }],
    ['a recovery code with a line break', { recovery_code: 'abcd\nefgh' }],
  ])('with %s, sends a visitor to sign in again', async (_case, fields) => {
    const visitor = new Visitor(t.app);
    await visitor.get('/login');
    const res = await visitor.post('/login/2fa', { _csrf: visitor.csrf(), ...fields });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
    expect((await visitor.get('/login')).text).toContain('That took too long. Please sign in again.');
  });

  it('sends someone already signed in to sign in again too, without ending their session', async () => {
    const browser = await signedIn(t, await createUser(t));
    await browser.get('/profile/account');
    const res = await browser.post('/login/2fa', { _csrf: browser.csrf(), code: '<b>'.repeat(10) });
    expect(res.status).toBe(303);
    expect((await browser.get('/profile/account')).status).toBe(200);
  });
});
