import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { leavingSite } from '../../helpers/redirect-spellings';
import { assert } from '../../helpers/webauthn';
import { SAME_SITE, WALK_MS, addressFor, everySpelling, json, rawServer, returnLinksIn, signedInWithPasskey, withPasskey } from './open-redirect-helpers';

const t = describeApp({ TRUST_PROXY: 'loopback' });
let raw: Awaited<ReturnType<typeof rawServer>>;
beforeAll(async () => {
  raw = await rawServer(t);
});
afterAll(async () => raw.close());

const MINUTE = 60_000;
const site = () => t.config.baseUrl;
/** A Referer as browsers send it: the full URL of the page, here at a path spelled like the attack. */
const refererFor = (spelling: string) => (spelling.startsWith('/') ? `${site().origin}${spelling}` : spelling);
/** Header values Node's client refuses to send (controls, characters beyond Latin-1) are never sent by a browser either. */
const sendable = (value: string) => !/[^\t\u0020-\u007e\u0080-\u00ff]/.test(value);

describe('The theme and language picker goes back only to a page on this site', () => {
  it('GET /appearance (signed out) answers with a Location on this site, from next or from the Referer', async () => {
    const fromNext = await everySpelling(async (spelling) => {
      const res = await request(t.app).get(`/appearance?theme=dark&next=${encodeURIComponent(spelling)}`);
      expect(res.status).toBe(303);
      return res.headers.location as string;
    });
    const fromReferer = await everySpelling(async (spelling) => {
      const targets: string[] = [];
      for (const referer of [spelling, refererFor(spelling)].filter(sendable)) {
        const res = await request(t.app).get('/appearance?theme=dark').set('Referer', referer);
        expect(res.status).toBe(303);
        targets.push(res.headers.location as string);
      }
      return targets;
    });
    expect(leavingSite([...fromNext, ...fromReferer], site())).toEqual([]);
    expect((await request(t.app).get(`/appearance?theme=dark&next=${encodeURIComponent(SAME_SITE)}`)).headers.location).toBe(SAME_SITE);
    expect((await request(t.app).get('/appearance?theme=dark').set('Referer', `${site().origin}${SAME_SITE}`)).headers.location).toBe(SAME_SITE);
  }, WALK_MS);

  it('POST /appearance (signed in) answers with a Location on this site, from next or from the Referer', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const csrf = csrfTokenIn((await visitor.get('/profile/account')).text);
    const choose = async (fields: Record<string, string>, referer?: string) => {
      const post = visitor.agent.post('/appearance').set('Accept', 'text/html').type('form');
      const res = await (referer ? post.set('Referer', referer) : post).send({ _csrf: csrf, theme: 'dark', ...fields });
      expect(res.status).toBe(303);
      return res.headers.location as string;
    };
    const fromNext = await everySpelling((spelling) => choose({ next: spelling }));
    const fromReferer = await everySpelling(async (spelling) => {
      const targets: string[] = [];
      for (const referer of [spelling, refererFor(spelling)].filter(sendable)) targets.push(await choose({}, referer));
      return targets;
    });
    expect(leavingSite([...fromNext, ...fromReferer], site())).toEqual([]);
    expect(await choose({ next: SAME_SITE })).toBe(SAME_SITE);
  }, WALK_MS);
});

describe('Re-authentication goes back only to a page on this site', () => {
  it('GET /reauth?next=… renders the hidden next field, the Cancel link and the passkey button on this site only', async () => {
    const visitor = await signedInWithPasskey(t, (await withPasskey(t)).credential);
    const outcomes = await everySpelling(async (spelling) => {
      const page = await visitor.get(`/reauth?next=${encodeURIComponent(spelling)}`);
      expect(page.status).toBe(200);
      const links = returnLinksIn(page.text);
      expect(links.length).toBeGreaterThanOrEqual(3);
      return links;
    });
    expect(leavingSite(outcomes, site())).toEqual([]);
    const kept = returnLinksIn((await visitor.get(`/reauth?next=${encodeURIComponent(SAME_SITE)}`)).text);
    expect(kept.filter((link) => link === SAME_SITE)).toHaveLength(3);
  }, WALK_MS);

  it('POST /reauth and POST /reauth/drop answer with a Location on this site', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const confirm = async (next: string) => {
      const res = await visitor.submit('/reauth', { password: user.password, next });
      expect(res.status).toBe(303);
      return res.headers.location as string;
    };
    const drop = async (next: string) => {
      const page = await visitor.get('/profile/account');
      const res = await visitor.post('/reauth/drop', { _csrf: csrfTokenIn(page.text), next });
      expect(res.status).toBe(303);
      return res.headers.location as string;
    };
    const outcomes = [...(await everySpelling(confirm)), ...(await everySpelling(drop))];
    expect(leavingSite(outcomes, site())).toEqual([]);
    expect(await confirm(SAME_SITE)).toBe(SAME_SITE);
    expect(await drop(SAME_SITE)).toBe(SAME_SITE);
  }, WALK_MS);

  it('POST /reauth/passkey answers with a JSON redirect on this site', async () => {
    const { credential } = await withPasskey(t);
    const visitor = await signedInWithPasskey(t, credential);
    const confirm = async (next: string, index: number) => {
      await visitor.get('/reauth');
      const options = await json(visitor, '/reauth/passkey/options', {}, addressFor(index));
      const res = await json(visitor, '/reauth/passkey', { response: assert(credential, options.body, site().origin), next }, addressFor(index));
      expect(res.status).toBe(200);
      return res.body.redirect as string;
    };
    const outcomes = await everySpelling(confirm);
    expect(leavingSite(outcomes, site())).toEqual([]);
    expect(await confirm(SAME_SITE, 0)).toBe(SAME_SITE);
  }, WALK_MS);
});

describe('Links built from the requested URL stay on this site', () => {
  /** The Location, and the return links of the page it leads to. */
  async function followed(res: { status: number; location?: string } | undefined): Promise<string[]> {
    if (!res?.location) return [];
    const page = await request(t.app).get(res.location).set('Accept', 'text/html');
    return [res.location, ...returnLinksIn(page.text)];
  }

  it('an ended session sends GET <any path> to /login with a next that stays on this site', async () => {
    const outcomes = await everySpelling(async (spelling) => followed(await raw.send('GET', spelling, { Cookie: 'signed_in=1' })));
    expect(leavingSite(outcomes, site())).toEqual([]);
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    t.clock.advance(31 * MINUTE);
    expect((await visitor.get(SAME_SITE)).headers.location).toBe(`/login?next=${encodeURIComponent(SAME_SITE)}`);
  }, WALK_MS);

  it('a page that needs sign-in, asked for under any host or path spelling, sends to /login with a next on this site', async () => {
    const outcomes = await everySpelling(async (spelling) => {
      const target = `${spelling.replace(/\/+$/, '')}/profile/account`;
      return followed(await raw.send('GET', target));
    });
    expect(leavingSite(outcomes, site())).toEqual([]);
    expect((await raw.send('GET', SAME_SITE))?.location).toBe(`/login?next=${encodeURIComponent(SAME_SITE)}`);
  }, WALK_MS);

  it('the "Try again" link of an error page for a POST to any path stays on this site', async () => {
    const outcomes = await everySpelling(async (spelling) => {
      const res = await raw.send('POST', spelling, { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': '0' });
      return res ? returnLinksIn(res.body) : undefined;
    });
    expect(leavingSite(outcomes, site())).toEqual([]);
    const refused = await raw.send('POST', SAME_SITE, { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': '0' });
    expect(refused?.status).toBe(403);
    expect(returnLinksIn(refused?.body ?? '')).toContain('/profile/account');
  }, WALK_MS);
});
