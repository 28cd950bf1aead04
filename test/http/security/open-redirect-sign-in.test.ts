import { describeApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { createUser } from '../../helpers/factories';
import { leavingSite } from '../../helpers/redirect-spellings';
import { totpAt } from '../../helpers/totp';
import { assert } from '../../helpers/webauthn';
import { SAME_SITE, WALK_MS, addressFor, everySpelling, json, returnLinksIn, withPasskey } from './open-redirect-helpers';

// Passkey attempts come from a different address each (through the trusted proxy).
const t = describeApp({ TRUST_PROXY: 'loopback' });

const STEP = 30_000;
const ctx = { ip: '127.0.0.1', userAgent: 'test', locale: 'en' as const };

describe('Signing in never sends anyone to another site, however "next" is spelled', () => {
  it('GET /login?next=… renders the hidden next field and the passkey button on this site only', async () => {
    const outcomes = await everySpelling(async (spelling) => {
      const page = await new Visitor(t.app).get(`/login?next=${encodeURIComponent(spelling)}`);
      expect(page.status).toBe(200);
      const links = returnLinksIn(page.text);
      expect(links.length).toBeGreaterThanOrEqual(2);
      return links;
    });
    expect(leavingSite(outcomes, t.config.baseUrl)).toEqual([]);
    const kept = returnLinksIn((await new Visitor(t.app).get(`/login?next=${encodeURIComponent(SAME_SITE)}`)).text);
    expect(kept.filter((link) => link === SAME_SITE)).toHaveLength(2);
  }, WALK_MS);

  it('POST /login answers with a Location on this site, with next in the hidden field or in the query', async () => {
    const user = await createUser(t);
    const signIn = async (fields: Record<string, string>, query = '') => {
      const visitor = new Visitor(t.app);
      const res = await visitor.submit('/login', { identifier: user.username, password: user.password, ...fields }, `/login${query}`);
      expect(res.status).toBe(303);
      return res.headers.location as string;
    };
    const fromField = await everySpelling((spelling) => signIn({ next: spelling }));
    const fromQuery = await everySpelling((spelling) => signIn({}, `?next=${encodeURIComponent(spelling)}`));
    expect(leavingSite([...fromField, ...fromQuery], t.config.baseUrl)).toEqual([]);
    expect(await signIn({ next: SAME_SITE })).toBe(SAME_SITE);
  }, WALK_MS);

  it('POST /login/2fa with an authenticator code returns to a next given at the password step only when it is on this site', async () => {
    // A new account each time: second-factor attempts are limited per account.
    const signIn = async (next: string) => {
      const user = await createUser(t);
      const { secret, sealed } = t.services.mfa.beginTotpEnrolment(user);
      await t.services.mfa.enableTotp(user, sealed, totpAt(secret, t.clock.now()), ctx, false);
      t.clock.advance(STEP);
      const visitor = new Visitor(t.app);
      const password = await visitor.submit('/login', { identifier: user.username, password: user.password, next });
      expect(password.headers.location).toBe('/login/2fa');
      const res = await visitor.submit('/login/2fa', { code: totpAt(secret, t.clock.now()) });
      expect(res.status).toBe(303);
      return res.headers.location as string;
    };
    const outcomes = await everySpelling(signIn);
    expect(leavingSite(outcomes, t.config.baseUrl)).toEqual([]);
    expect(await signIn(SAME_SITE)).toBe(SAME_SITE);
  }, WALK_MS);

  it('POST /login/2fa/passkey answers with a JSON redirect on this site', async () => {
    const { user, credential } = await withPasskey(t);
    const signIn = async (next: string, index: number) => {
      const visitor = new Visitor(t.app);
      expect((await visitor.submit('/login', { identifier: user.username, password: user.password, next })).headers.location).toBe('/login/2fa');
      await visitor.get('/login/2fa');
      const options = await json(visitor, '/login/2fa/passkey/options', {}, addressFor(index));
      const res = await json(visitor, '/login/2fa/passkey', { response: assert(credential, options.body, t.config.baseUrl.origin) }, addressFor(index));
      expect(res.status).toBe(200);
      return res.body.redirect as string;
    };
    const outcomes = await everySpelling(signIn);
    expect(leavingSite(outcomes, t.config.baseUrl)).toEqual([]);
    expect(await signIn(SAME_SITE, 0)).toBe(SAME_SITE);
  }, WALK_MS);

  it('POST /login/passkey?next=… (a passkey alone) answers with a JSON redirect on this site', async () => {
    const { credential } = await withPasskey(t);
    const signIn = async (next: string, index: number) => {
      const visitor = new Visitor(t.app);
      await visitor.get('/login');
      const options = await json(visitor, '/login/passkey/options', {}, addressFor(index));
      const res = await json(visitor, `/login/passkey?next=${encodeURIComponent(next)}`, { response: assert(credential, options.body, t.config.baseUrl.origin) }, addressFor(index));
      expect(res.status).toBe(200);
      return res.body.redirect as string;
    };
    const outcomes = await everySpelling(signIn);
    expect(leavingSite(outcomes, t.config.baseUrl)).toEqual([]);
    expect(await signIn(SAME_SITE, 0)).toBe(SAME_SITE);
  }, WALK_MS);
});
