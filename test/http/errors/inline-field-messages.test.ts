import { describeApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { secretOnPage, totpAt } from '../../helpers/totp';

const t = describeApp();

/** The message shown beside one field (not the summary at the top). */
const inlineError = (html: string, name: string) => new RegExp(`<p class="field__error" id="field-${name}-error">([\\s\\S]*?)</p>`).exec(html)?.[1]?.replace(/<[^>]+>/g, '').trim();

describe('A message beside a field', () => {
  it('says the same as the summary, with its numbers filled in (a textarea)', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const tab = await visitor.get('/profile/keys');
    const res = await visitor.post('/profile/keys', { _csrf: csrfTokenIn(tab.text), title: 'Laptop', key: 'x'.repeat(16_385) });
    expect(res.status).toBe(422);
    expect(inlineError(res.text, 'key')).toMatch(/Must be 16[,.\u00a0]?384 characters or fewer$/);
  });

  it('says so for a select and a radio group too (a new token without an expiry or scope)', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const tab = await visitor.get('/profile/tokens');
    const res = await visitor.post('/profile/tokens', { _csrf: csrfTokenIn(tab.text), name: 'CI', scope: 'everything', expires: 'never' });
    expect(res.status).toBe(422);
    expect(inlineError(res.text, 'scope')).toBeTruthy();
    expect(inlineError(res.text, 'expires')).toBeTruthy();
  });

  it('is reached from the summary for a radio group, whose choices then agree with the message', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const tab = await visitor.get('/profile/tokens');
    const res = await visitor.post('/profile/tokens', { _csrf: csrfTokenIn(tab.text), name: 'CI', expires: '30' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('href="#field-scope"');
    expect(res.text).toMatch(/<input type="radio" id="field-scope" name="scope"/);
    // "Choose read only or read and write" beside a ticked "Read only" would contradict itself.
    expect(res.text).not.toMatch(/<input type="radio"[^>]*name="scope"[^>]*checked/);
  });

  it('says so for a checkbox left unticked (the recovery codes confirmation)', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const setup = await visitor.get('/profile/security/totp');
    const secret = secretOnPage(setup.text);
    await visitor.post('/profile/security/totp', { _csrf: csrfTokenIn(setup.text), code: totpAt(secret, t.clock.now()) });
    const codes = await visitor.get('/profile/security/recovery-codes');
    const res = await visitor.post('/profile/security/recovery-codes/saved', { _csrf: csrfTokenIn(codes.text) });
    expect(res.status).toBe(422);
    expect(inlineError(res.text, 'saved')).toBe('Error: Confirm that you saved your recovery codes');
    expect(res.text).toMatch(/<input type="checkbox" id="field-saved"[^>]*aria-describedby="field-saved-error"/);
  });
});
