import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import { interactionPolicy, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { User } from '../../core/users/user';
import { avatarUrl } from '../../core/users/avatar-url';
import { AppError } from '../../infra/errors';
import { renderPage } from '../../http/render';
import { allowFormActionTo } from '../../http/middleware/security-headers';
import { URLS, pathTo } from '../../http/urls';
import type { PrivateJwk } from './signing-keys.service';
import { PROVIDER_SCOPES } from './provider-scopes';

/** How long each of the provider's records lives, in seconds (SECURITY.md lists them). */
export const PROVIDER_TTL = {
  AuthorizationCode: 60,
  AccessToken: 15 * 60,
  IdToken: 60 * 60,
  RefreshToken: 30 * 24 * 3600,
  Interaction: 10 * 60,
  Session: 14 * 24 * 3600,
  Grant: 365 * 24 * 3600,
} as const;

/** The claims each scope releases; `openid` alone gives only the subject (and how the person signed in). */
const CLAIMS = {
  // The library's own (the session id, when and how strongly the person signed in).
  acr: null,
  sid: null,
  auth_time: null,
  iss: null,
  // How the person signed in (RFC 8176 values), in every ID token.
  openid: ['sub', 'amr'],
  profile: ['preferred_username', 'name', 'given_name', 'family_name', 'locale', 'picture', 'updated_at'],
  email: ['email', 'email_verified'],
};

/** A failure the library answers itself (an unregistered redirect URI, an unknown application), as this site's error page. */
class ProviderRequestError extends AppError {
  constructor(status: number, error: string) {
    const known = ['invalid_redirect_uri', 'invalid_client', 'invalid_request', 'unauthorized_client', 'invalid_scope', 'session_not_found'];
    super(status >= 400 && status < 500 ? status : 400, error, `provider.errors.${known.includes(error) ? error : 'other'}`);
    this.titleKey = 'provider.errors.title';
    this.details = { providerError: error };
  }
}

/** What signs a person in at the provider: the express request the library was handed (it runs inside this app). */
const expressRequest = (ctx: KoaContextWithOIDC) => ctx.req as unknown as Request;
const expressResponse = (ctx: KoaContextWithOIDC) => ctx.res as unknown as Response;

/** The person's claims, read fresh at every token and userinfo request so changes show at once. */
function claimsOf(user: User, baseUrl: URL): Record<string, unknown> {
  const picture = avatarUrl(user.avatarHash, 256);
  return {
    sub: user.id,
    preferred_username: user.username,
    name: `${user.firstName} ${user.lastName}`.trim() || user.username,
    given_name: user.firstName || undefined,
    family_name: user.lastName || undefined,
    email: user.email,
    email_verified: user.emailVerifiedAt !== null,
    locale: user.language ?? undefined,
    picture: picture ? new URL(picture, baseUrl).href : undefined,
    updated_at: Math.floor(user.updatedAt.getTime() / 1000),
  };
}

export interface ProviderConfigurationDeps {
  config: Config;
  clock: Clock;
  keys: PrivateJwk[];
  adapter: NonNullable<Configuration['adapter']>;
  /** The account behind a subject, or undefined when it may not be used (gone, locked, locked down). */
  account(sub: string): Promise<User | undefined>;
  /** The account's grant for an application, kept across provider sessions (allowed once, until revoked). */
  existingGrantId(accountId: string, clientId: string): Promise<string | undefined>;
  /** Hands a failure to the app's error handler (the page in the person's language). */
  fail(req: Request, error: AppError): void;
}

/**
 * The login prompt also asks when this service's own session has ended or belongs to
 * someone else (the provider's session never outlives the sign-in it came from, so
 * `prompt=none` after a sign-out answers login_required), and when that sign-in is older
 * than `max_age` by this service's clock (re-authenticating moves it, not the library's).
 */
function interactionPolicyOf(clock: Clock) {
  const policy = interactionPolicy.base();
  const login = policy.get('login');
  login?.checks.add(
    new interactionPolicy.Check('service_session', 'the sign-in to this service ended or is another person', 'login_required', (ctx) => {
      const userId = expressRequest(ctx).session?.userId;
      return !userId || userId !== ctx.oidc.session?.accountId;
    }),
    0,
  );
  login?.checks.add(
    new interactionPolicy.Check('service_max_age', 'the sign-in to this service is older than max_age', 'login_required', (ctx) => {
      const maxAge = ctx.oidc.params?.max_age;
      if (maxAge === undefined || maxAge === null) return false;
      return clock.now().getTime() - (expressRequest(ctx).session?.lastAuthAt ?? 0) > Number(maxAge) * 1000;
    }),
    1,
  );
  return policy;
}

/** The configuration of oidc-provider: this app's accounts, pages, storage and keys. */
export function providerConfiguration(deps: ProviderConfigurationDeps): Configuration {
  const { config } = deps;
  const cookieKeys = [Buffer.from(crypto.hkdfSync('sha256', config.sessionSecret, 'atrium-oidc-cookies', 'cookie-signing', 32)).toString('base64url')];
  return {
    adapter: deps.adapter,
    clients: [],
    jwks: { keys: deps.keys as never },
    claims: CLAIMS,
    scopes: [...PROVIDER_SCOPES],
    // Names and address in the ID token too, as most applications expect them there.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true, methods: ['S256'] },
    cookies: { keys: cookieKeys, long: { sameSite: 'lax' }, short: { sameSite: 'lax' } },
    ttl: { ...PROVIDER_TTL },
    // Every use of a refresh token gives a new one; using a spent one again revokes the whole grant.
    rotateRefreshToken: true,
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      // An application may ask only about the tokens it was given.
      introspection: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          // The confirmation's answer is a redirect to the application's registered return address
          // (checked by the library before this page is shown), and a form post's redirects are held to form-action.
          allowFormActionTo(expressResponse(ctx), ctx.oidc.params?.post_logout_redirect_uri);
          await renderInside(ctx, 'provider/logout', { title: expressResponse(ctx).locals.t('provider.signOut.title'), form, clientName: ctx.oidc.client?.clientName ?? null });
        },
        async postLogoutSuccessSource(ctx) {
          await renderInside(ctx, 'provider/logged-out', { title: expressResponse(ctx).locals.t('provider.signOut.doneTitle'), clientName: ctx.oidc.client?.clientName ?? null });
        },
      },
    },
    routes: {
      authorization: `${URLS.providerEndpoints}/auth`,
      token: `${URLS.providerEndpoints}/token`,
      userinfo: `${URLS.providerEndpoints}/me`,
      jwks: `${URLS.providerEndpoints}/jwks`,
      revocation: `${URLS.providerEndpoints}/token/revocation`,
      introspection: `${URLS.providerEndpoints}/token/introspection`,
      end_session: `${URLS.providerEndpoints}/session/end`,
    },
    interactions: {
      url: (_ctx, interaction) => pathTo('interaction', { uid: interaction.uid }),
      policy: interactionPolicyOf(deps.clock),
    },
    async findAccount(_ctx, sub) {
      const user = await deps.account(sub);
      if (!user) return undefined;
      return { accountId: user.id, claims: async () => claimsOf(user, config.baseUrl) as { sub: string } };
    },
    async loadExistingGrant(ctx) {
      const accountId = ctx.oidc.session?.accountId;
      const clientId = ctx.oidc.client?.clientId;
      const grantId = (ctx.oidc.result?.consent as { grantId?: string } | undefined)?.grantId ?? (accountId && clientId ? await deps.existingGrantId(accountId, clientId) : undefined);
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    // A browser application (a public client) may call the token endpoint from its own origin only.
    clientBasedCORS(_ctx, origin, client) {
      return [...(client.redirectUris ?? []), ...(client.postLogoutRedirectUris ?? [])].some((uri) => URL.canParse(uri) && new URL(uri).origin === origin);
    },
    async renderError(ctx, out, error) {
      ctx.respond = false;
      const status = Number((error as { status?: unknown }).status) || 400;
      deps.fail(expressRequest(ctx), new ProviderRequestError(status, String(out.error)));
    },
  };
}

/** Renders one of this app's pages as the library's answer (its logout pages), in the person's language and theme. */
async function renderInside(ctx: KoaContextWithOIDC, view: string, locals: Record<string, unknown>): Promise<void> {
  ctx.respond = false;
  await renderPage(expressResponse(ctx), view, locals);
}
