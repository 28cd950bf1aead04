import * as oidc from 'openid-client';
import type { OidcProviderConfig } from './oidc-providers-file';

/** What one authorization request must remember until its callback: all single-use secrets. */
export interface AuthorizationChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The person the provider vouches for, from a validated ID token; nothing that could be replayed. */
export interface ProviderIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  /** The provider's `email_verified`, exactly: absent counts as not verified. */
  emailVerified: boolean;
  givenName: string | null;
  familyName: string | null;
  name: string | null;
  preferredUsername: string | null;
  /** Authentication methods (RFC 8176) and context class the provider reports for this sign-in. */
  amr: string[];
  acr: string | null;
}

/** The provider could not be reached or answered with a server error: try again later. */
export class ProviderUnavailableError extends Error {}

/**
 * The provider's answer cannot be trusted or was a refusal: wrong state or nonce, a token
 * for another issuer or audience, expired, badly signed, a used code, or the person said no
 * (`denied`). `reason` is for the log only.
 */
export class ProviderResponseError extends Error {
  constructor(
    readonly reason: string,
    readonly denied = false,
  ) {
    super(reason);
  }
}

const DISCOVERY_TTL_MS = 60 * 60_000;
/** A re-authentication at the provider must have happened this recently (its auth_time). */
const FRESH_SECONDS = 300;

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

/**
 * Network failures and server errors, wherever they sit in the chain of causes: openid-client
 * wraps a fetch() failure it does not recognise (fetch's TypeError may come from another realm
 * than its own, as in a test runner's sandbox) in a ClientError whose cause is the original.
 */
function isUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; current = (current as { cause?: unknown }).cause, depth += 1) {
    const { name, message } = current as { name?: unknown; message?: unknown };
    if (name === 'AbortError' || name === 'TimeoutError') return true;
    if (name === 'TypeError' && typeof message === 'string' && /fetch failed/i.test(message)) return true;
    const status = (current as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 500) return true;
  }
  return false;
}

/**
 * The relying party for every configured provider, on openid-client: discovery (cached
 * an hour, retried after a failure), the authorization code flow with PKCE, state and
 * nonce, and the ID token's issuer, audience, expiry, nonce and signature checked against
 * the provider's published keys (which openid-client fetches and caches).
 */
export function createOidcClient(deps: { providers: OidcProviderConfig[]; redirectUri: (providerId: string) => URL; timeoutMs: number; now: () => number }) {
  const byId = new Map(deps.providers.map((p) => [p.id, p]));
  const discovered = new Map<string, { config: oidc.Configuration; at: number }>();

  async function configurationOf(provider: OidcProviderConfig): Promise<oidc.Configuration> {
    const cached = discovered.get(provider.id);
    if (cached && deps.now() - cached.at < DISCOVERY_TTL_MS) return cached.config;
    const insecure = provider.issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [];
    try {
      const config = await oidc.discovery(provider.issuer, provider.clientId, { client_secret: provider.clientSecret }, undefined, {
        execute: [...insecure, oidc.enableNonRepudiationChecks],
        timeout: Math.ceil(deps.timeoutMs / 1000),
      });
      discovered.set(provider.id, { config, at: deps.now() });
      return config;
    } catch (error) {
      throw isUnavailable(error) ? new ProviderUnavailableError(`discovery of ${provider.issuer.href} failed: ${(error as Error).message}`) : new ProviderResponseError(`discovery of ${provider.issuer.href}: ${(error as Error).message}`);
    }
  }

  return {
    provider(providerId: string): OidcProviderConfig | undefined {
      return byId.get(providerId);
    },

    /**
     * Where to send the browser, and the checks its return must pass. `fresh`: the person
     * must sign in at the provider again, not ride on a session there (re-authentication).
     */
    async begin(provider: OidcProviderConfig, options: { fresh?: boolean } = {}): Promise<{ url: URL; checks: AuthorizationChecks }> {
      const config = await configurationOf(provider);
      const checks = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: deps.redirectUri(provider.id).href,
        scope: provider.scopes.join(' '),
        code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
        state: checks.state,
        nonce: checks.nonce,
        ...(options.fresh ? { prompt: 'login', max_age: String(FRESH_SECONDS) } : {}),
      });
      return { url, checks };
    },

    /**
     * The browser's return: the code exchanged (once) for tokens, the ID token validated, and
     * its claims read. The access and refresh tokens are dropped here, unread.
     */
    async finish(provider: OidcProviderConfig, callbackUrl: URL, checks: AuthorizationChecks, options: { fresh?: boolean } = {}): Promise<ProviderIdentity> {
      const config = await configurationOf(provider);
      let claims: oidc.IDToken | undefined;
      try {
        const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: checks.codeVerifier, expectedState: checks.state, expectedNonce: checks.nonce, idTokenExpected: true, ...(options.fresh ? { maxAge: FRESH_SECONDS } : {}) });
        claims = tokens.claims();
      } catch (error) {
        if (error instanceof oidc.AuthorizationResponseError) throw new ProviderResponseError(`the provider answered ${error.error}`, error.error === 'access_denied');
        if (isUnavailable(error)) throw new ProviderUnavailableError(`code exchange with ${provider.issuer.href} failed: ${(error as Error).message}`);
        const code = (error as { code?: unknown }).code;
        throw new ProviderResponseError(`${typeof code === 'string' ? `${code}: ` : ''}${(error as Error).message}`);
      }
      if (!claims) throw new ProviderResponseError('no ID token');
      return {
        issuer: claims.iss,
        subject: claims.sub,
        email: text(claims.email)?.toLowerCase() ?? null,
        emailVerified: claims.email_verified === true,
        givenName: text(claims.given_name),
        familyName: text(claims.family_name),
        name: text(claims.name),
        preferredUsername: text(claims.preferred_username),
        amr: Array.isArray(claims.amr) ? claims.amr.filter((v): v is string => typeof v === 'string') : [],
        acr: text(claims.acr),
      };
    },
  };
}

export type OidcClient = ReturnType<typeof createOidcClient>;
