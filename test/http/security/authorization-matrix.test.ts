// The authorization matrix (OWASP ASVS V8): every route of the live router, knocked on by
// everyone who might, against the decision declared for it below. A route without a
// declared decision fails the first test, so nothing new slips in undecided.
import type { Response } from 'supertest';
import { describeAppWithProviders } from '../../helpers/identity-providers';
import { knock, resourceOf, withAuthenticatorApp, worldFor, type PersonaName, type World } from '../../helpers/personas';
import { routeList, type RouteEntry } from '../../helpers/route-list';

// One identity provider (a real one), so that its routes are decided like any other.
const t = describeAppWithProviders([{ id: 'corp' }]);

/**
 * What each kind of route decides for each persona.
 * - open: anyone, signed in or not, with or without a token (emailed links carry their own secret);
 * - signedOut: the sign-in and sign-up forms, which send a signed-in person home;
 * - secondStep: the second step of a sign-in, which no one here has started;
 * - page: a signed-in person's own pages; tokens and app passwords are never accepted;
 * - api: the JSON API; read credentials may only read.
 * Routes with an `:id` are also tried by another person and by an administrator on the
 * owner's ids, and by the owner on theirs.
 * - admin: the console and its API (every route under /admin and /api/v1/admin, decided
 *   by that rule): 404 for every persona but the administrator, whom it lets in (a
 *   demand to re-authenticate first counts as letting in).
 */
type Kind = 'open' | 'signedOut' | 'secondStep' | 'page' | 'api' | 'admin';

/** A kind, with what the route needs before its decision shows: a valid body, or something the owner has. */
type Decision = Kind | { kind: Kind; body?: Record<string, string>; owner?: (world: World) => Promise<void> };

/** Every route and its kind. */
const DECISIONS: Record<string, Decision> = {
  'GET /assets/vendor/simplewebauthn-browser.js': 'open',
  'GET /healthz': 'open',
  'GET /readyz': 'open',
  'GET /avatars/:hash/:size.webp': 'open',
  'GET /': 'open',
  'GET /signup': 'signedOut',
  'POST /signup': 'signedOut',
  'GET /login': 'signedOut',
  'POST /login': 'signedOut',
  'POST /logout': 'open',
  'GET /forgot-password': 'open',
  'POST /forgot-password': 'open',
  'GET /reset-password/:token': 'open',
  'POST /reset-password/:token': 'open',
  'POST /verify-email': 'page',
  'GET /verify-email/:token': 'open',
  'POST /verify-email/:token': 'open',
  'GET /appearance': 'open',
  'POST /appearance': 'open',
  'POST /password/strength': 'open',
  'GET /profile/sessions': 'page',
  'POST /profile/sessions/revoke-others': 'page',
  'POST /profile/sessions/:id/revoke': 'page',
  'GET /reauth': 'page',
  'POST /reauth': 'page',
  'POST /reauth/drop': 'page',
  'POST /reauth/passkey/options': 'page',
  'POST /reauth/passkey': 'page',
  'POST /auth/oidc/:provider/start': 'signedOut',
  // A provider's return, and the confirmation of a first sign-in: steps no one here has started.
  'GET /auth/oidc/:provider/callback': 'secondStep',
  'GET /auth/oidc/signup': 'secondStep',
  'POST /auth/oidc/signup': 'secondStep',
  'POST /reauth/oidc/:provider': 'page',
  'POST /profile/connections/:provider/connect': 'page',
  'GET /profile/connections': 'page',
  'POST /profile/connections/set-password': 'page',
  'POST /profile/connections/:id/remove': 'page',
  'GET /profile/apps': 'page',
  // An application's sign-in step: bound to the browser by the library's cookie (a stranger's is 400).
  'GET /interaction/:uid': 'open',
  'POST /interaction/:uid/confirm': 'page',
  'POST /interaction/:uid/abort': 'open',
  'POST /profile/apps/:client/revoke': 'page',
  'GET /login/2fa': 'secondStep',
  'POST /login/2fa': 'secondStep',
  'POST /login/2fa/passkey/options': 'secondStep',
  'POST /login/2fa/passkey': 'secondStep',
  'POST /login/passkey/options': 'open',
  'POST /login/passkey': 'open',
  'GET /profile/security': 'page',
  'GET /profile/security/totp': 'page',
  'POST /profile/security/totp': 'page',
  'POST /profile/security/totp/disable': 'page',
  // Only someone with two-step verification on has recovery codes to replace.
  'POST /profile/security/recovery-codes': { kind: 'page', owner: (world) => withAuthenticatorApp(t, world) },
  'GET /profile/security/recovery-codes': 'page',
  'GET /profile/security/recovery-codes.txt': 'page',
  'POST /profile/security/recovery-codes/saved': 'page',
  'POST /profile/security/passkeys/options': 'page',
  'POST /profile/security/passkeys': 'page',
  // The new name is checked before the passkey is looked up.
  'POST /profile/security/passkeys/:id/rename': { kind: 'page', body: { name: 'Renamed' } },
  'POST /profile/security/passkeys/:id/remove': 'page',
  'POST /profile/account/avatar': 'page',
  'GET /profile': 'page',
  'GET /profile/account': 'page',
  'POST /profile/account/name': 'page',
  'POST /profile/account/email': 'page',
  'POST /profile/account/email/cancel': 'page',
  'POST /profile/account/recovery-email': 'page',
  'POST /profile/account/recovery-email/remove': 'page',
  'POST /profile/account/avatar/remove': 'page',
  'GET /profile/password': 'page',
  'POST /profile/password': 'page',
  'GET /profile/preferences': 'page',
  'POST /profile/preferences': 'page',
  'POST /profile/preferences/notices': 'page',
  'GET /confirm-email/:token': 'open',
  'POST /confirm-email/:token': 'open',
  'GET /undo-email-change/:token': 'open',
  'POST /undo-email-change/:token': 'open',
  'GET /confirm-recovery-email/:token': 'open',
  'POST /confirm-recovery-email/:token': 'open',
  'GET /profile/tokens': 'page',
  'POST /profile/tokens': 'page',
  'POST /profile/tokens/:id/regenerate': 'page',
  'POST /profile/tokens/:id/revoke': 'page',
  'GET /profile/app-passwords': 'page',
  'POST /profile/app-passwords': 'page',
  'POST /profile/app-passwords/:id/revoke': 'page',
  'GET /profile/keys': 'page',
  'POST /profile/keys': 'page',
  'POST /profile/keys/:id/delete': 'page',
  'GET /users/:username.keys': 'open',
  'GET /profile/activity': 'page',
  'GET /profile/data': 'page',
  'GET /profile/data/export': 'page',
  'GET /profile/delete': 'page',
  'POST /profile/delete': 'page',
  'GET /not-me/:token': 'open',
  'POST /not-me/:token': 'open',
  'GET /api/v1/openapi.json': 'open',
  'GET /api/docs': 'open',
  'GET /assets/vendor/swagger-ui/:file': 'open',
  'GET /api/v1/users/me': 'api',
  'PUT /api/v1/users/me': 'api',
  'PUT /api/v1/users/me/email': 'api',
  'PUT /api/v1/users/me/password': 'api',
  'PUT /api/v1/users/me/avatar': 'api',
  'DELETE /api/v1/users/me/avatar': 'api',
  'GET /api/v1/users/me/export': 'api',
  'DELETE /api/v1/users/me': 'api',
  'GET /api/v1/users/me/sessions': 'api',
  'DELETE /api/v1/users/me/sessions/:id': 'api',
  'GET /api/v1/users/me/tokens': 'api',
  'POST /api/v1/users/me/tokens': 'api',
  'DELETE /api/v1/users/me/tokens/:id': 'api',
  'GET /api/v1/users/me/ssh-keys': 'api',
  'POST /api/v1/users/me/ssh-keys': 'api',
  'DELETE /api/v1/users/me/ssh-keys/:id': 'api',
  'GET /api/v1/users/me/identities': 'api',
  'DELETE /api/v1/users/me/identities/:id': 'api',
  'GET /api/v1/users/me/apps': 'api',
  'DELETE /api/v1/users/me/apps/:client_id': 'api',
};

/** The console's routes are decided by where they live; DECISIONS may still give one a body or an owner's thing. */
const isAdminRoute = (label: string) => /^\w+ \/(api\/v1\/)?admin(\/|\.|$)/.test(label);

/** The answers a decision may take; each is recognised from the response alone. */
const location = (res: Response) => String(res.headers.location ?? '');
const ANSWERS = {
  /** Not turned away: no sign-in demanded, no 401, 403 or 404, no failure. */
  allowed: (res: Response) => res.status < 500 && !ANSWERS.signIn(res) && ![401, 403, 404].includes(res.status),
  /** As `allowed`, but an unknown emailed-link token or file may be a 404. */
  open: (res: Response) => res.status < 500 && !ANSWERS.signIn(res) && ![401, 403].includes(res.status),
  /** Sent to sign in (HTML), or told the sign-in must start again (the passkey step's JSON). */
  signIn: (res: Response) => (res.status === 303 && (location(res) === '/login' || location(res).startsWith('/login?next='))) || (res.status === 409 && res.body?.error?.code === 'sign_in_expired'),
  unauthenticated: (res: Response) => res.status === 401,
  insufficientScope: (res: Response) => res.status === 403 && res.body?.error?.code === 'insufficient_scope',
  notFound: (res: Response) => res.status === 404,
  home: (res: Response) => res.status === 303 && location(res) === '/',
  /** Let into the console: not turned away with 401 or 404, no failure (a step-up demand, a 403 `reauth_required`, is letting in). */
  adminAllowed: (res: Response) => res.status < 500 && ![401, 404].includes(res.status) && !ANSWERS.signIn(res),
};
type Answer = keyof typeof ANSWERS;

const TOKENS: PersonaName[] = ['read token', 'write token', 'read app password', 'write app password'];

/** The expected answer of each persona, by kind. `another user` and `administrator` apply to routes with ids. */
function expectations(kind: Kind, route: RouteEntry): Partial<Record<PersonaName, Answer>> {
  const everyone = (answer: Answer) => Object.fromEntries(['anonymous', 'anonymous (JSON)', ...TOKENS, 'owner'].map((p) => [p, answer]));
  switch (kind) {
    case 'open':
      return everyone('open');
    case 'secondStep':
      return everyone('signIn');
    case 'signedOut':
      return { ...everyone('allowed'), owner: 'home' };
    case 'page':
      return { anonymous: 'signIn', 'anonymous (JSON)': 'unauthenticated', ...Object.fromEntries(TOKENS.map((p) => [p, 'signIn'])), 'another user': 'notFound', administrator: 'notFound', owner: 'allowed' };
    case 'admin':
      return { ...everyone('notFound'), 'another user': 'notFound', administrator: 'adminAllowed' };
    case 'api': {
      const reads = route.method === 'get';
      return {
        'anonymous (JSON)': 'unauthenticated',
        'read token': reads ? 'allowed' : 'insufficientScope',
        'write token': 'allowed',
        'read app password': reads ? 'allowed' : 'insufficientScope',
        'write app password': 'allowed',
        'another user': 'notFound',
        administrator: 'notFound',
        owner: 'allowed',
      };
    }
  }
}

const ON_OTHERS_IDS: PersonaName[] = ['another user', 'administrator'];

describe('The authorization matrix', () => {
  it('has a decision for every route of the live router, and no decision for a route that is gone', () => {
    const live = routeList(t.app).map((r) => r.label);
    expect(live.filter((label) => !(label in DECISIONS) && !isAdminRoute(label))).toEqual([]);
    expect(Object.keys(DECISIONS).filter((label) => !live.includes(label))).toEqual([]);
    expect(Object.entries(DECISIONS).filter(([label, d]) => isAdminRoute(label) && (typeof d === 'string' ? d : d.kind) !== 'admin').map(([label]) => label)).toEqual([]);
  });

  const table = Object.entries(DECISIONS).map(([label, d]) => [label, typeof d === 'string' ? { kind: d } : d] as const);
  it.each(table.map(([label, d]) => [label, d.kind, d] as const))('%s (%s) answers every persona as decided', async (label, kind, decision) => {
    expect(await wrongAnswers(label, kind, decision)).toEqual([]);
  });

  it('every console route (under /admin and /api/v1/admin) answers 404 to everyone but the administrator', async () => {
    const routes = routeList(t.app).filter((r) => isAdminRoute(r.label) && !(r.label in DECISIONS));
    expect(routes.length).toBeGreaterThan(0);
    const wrong: string[] = [];
    for (const route of routes) wrong.push(...(await wrongAnswers(route.label, 'admin', { kind: 'admin' })).map((w) => `${route.label} ${w}`));
    expect(wrong).toEqual([]);
  });
});

/** How the personas' answers at one route differ from its decision (nothing, when they all match). */
async function wrongAnswers(label: string, kind: Kind, decision: Exclude<Decision, Kind>): Promise<string[]> {
  const route = routeList(t.app).find((r) => r.label === label) as RouteEntry;
  const world = await worldFor(t);
  await decision.owner?.(world);
  const resource = resourceOf(t, route);
  const wrong: string[] = [];
  // The one let in goes last, since an allowed request may end sessions or spend a thing:
  // the owner on their own routes; in the console the administrator, whose actions on the
  // owner's account (lock, sign out everywhere) would otherwise sign the owner out first.
  const last: PersonaName = kind === 'admin' ? 'administrator' : 'owner';
  const expected = Object.entries(expectations(kind, route)).sort(([a], [b]) => Number(a === last) - Number(b === last)) as Array<[PersonaName, Answer]>;
  for (const [persona, answer] of expected) {
    // In the console every id is the owner's: the administrator may act on other people's things.
    const onOthers = kind !== 'admin' && ON_OTHERS_IDS.includes(persona);
    if (onOthers && !resource) continue;
    const id = resource && (await resource.make(onOthers ? world.other : world.owner));
    const res = await knock(t, world, route, persona, id, decision.body);
    const got = `${res.status} ${location(res) || res.body?.error?.code || ''}`.trim();
    if (!ANSWERS[answer](res)) wrong.push(`${persona}: expected ${answer}, got ${got}`);
    if (onOthers && resource && id && !(await resource.exists(world.other, id))) wrong.push(`${persona}: the other person's ${label} target is gone`);
  }
  return wrong;
}
