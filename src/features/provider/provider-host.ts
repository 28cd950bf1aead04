import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import Provider, { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../../config';
import type { User } from '../../core/users/user';
import type { Clock } from '../../infra/clock';
import type { AppError } from '../../infra/errors';
import type { Limiter } from '../../infra/rate-limit';
import type { Logger } from '../../infra/logger';
import { clientIp } from '../../http/request-context';
import { URLS } from '../../http/urls';
import { providerConfiguration, type ProviderConfigurationDeps } from './provider-configuration';
import type { SigningKeysService } from './signing-keys.service';

/** How often a process looks for a rotated key (a new one activates after twice this, so every process publishes it first). */
export const KEY_CHECK_MS = 60_000;

/** The endpoints where an application authenticates itself: failures there count against the address. */
const CLIENT_AUTHENTICATION = new Set([`${URLS.providerEndpoints}/token`, `${URLS.providerEndpoints}/token/introspection`, `${URLS.providerEndpoints}/token/revocation`]);

/** Whether a path is the provider's to answer: its endpoints and the discovery document at the issuer's root. */
export function ownedByProvider(path: string): boolean {
  return path === URLS.providerDiscovery || path.startsWith(`${URLS.providerEndpoints}/`);
}

type HostDeps = Omit<ProviderConfigurationDeps, 'keys' | 'fail'> & {
  config: Config;
  clock: Clock;
  logger: Logger;
  keys: SigningKeysService;
  /** Ends this service's session the way its own sign-out does (activity log, cookies). */
  signOut(req: Request, res: Response): Promise<void>;
  /** Failed client authentications per address (the token, introspection and revocation endpoints). */
  clientAuthLimiter: Limiter;
};

interface Built {
  fingerprint: string;
  provider: Provider;
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

/**
 * The OpenID Provider inside this app: one oidc-provider instance, rebuilt when the signing
 * keys change (a rotation, seen within KEY_CHECK_MS), answering its own paths; everything
 * it cannot answer itself (an unregistered redirect URI) goes to the app's error page.
 */
export function createProviderHost(deps: HostDeps) {
  const failures = new WeakMap<IncomingMessage, (error: AppError) => void>();
  let built: Built | undefined;
  let checkedAt = 0;
  let loading: Promise<Built> | undefined;

  const issuer = deps.config.baseUrl.href.replace(/\/$/, '');

  const build = async (): Promise<Built> => {
    const keySet = await deps.keys.current();
    checkedAt = deps.clock.now().getTime();
    if (built && built.fingerprint === keySet.fingerprint) return built;
    const provider = new Provider(
      issuer,
      providerConfiguration({
        ...deps,
        keys: keySet.keys,
        fail: (req, error) => failures.get(req)?.(error),
      }),
    );
    // The library builds its URLs (discovery, the resume address) from the request's host and
    // scheme: the handler sets them from BASE_URL, so it reads them as a proxy's headers.
    provider.proxy = true;
    provider.on('server_error', (_ctx: KoaContextWithOIDC, err: Error) => deps.logger.error({ err }, 'openid provider failed'));
    const countFailure = (ctx: KoaContextWithOIDC, err: Error) => {
      if (err instanceof errors.InvalidClient || err instanceof errors.InvalidClientAuth) {
        void deps.clientAuthLimiter.consume(clientIp(ctx.req as unknown as Request)).catch(() => undefined);
      }
    };
    for (const event of ['grant.error', 'introspection.error', 'revocation.error']) provider.on(event, countFailure);
    // An application's logout that the person confirmed ends their session here too, before the answer leaves.
    // "No, stay signed in" is a success as well (the library ends the application's part only): it ends nothing here.
    const loggedOut = new WeakSet<object>();
    provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
      if (ctx.oidc.params?.logout) loggedOut.add(ctx);
    });
    provider.use(async (ctx, next) => {
      await next();
      if (loggedOut.has(ctx)) await deps.signOut(ctx.req as unknown as Request, ctx.res as unknown as Response);
    });
    built = { fingerprint: keySet.fingerprint, provider, handle: provider.callback() };
    return built;
  };

  /** The provider of this moment: built once, looked at again for new keys at most every KEY_CHECK_MS. */
  const current = async (): Promise<Built> => {
    if (built && deps.clock.now().getTime() - checkedAt < KEY_CHECK_MS) return built;
    loading ??= build().finally(() => {
      loading = undefined;
    });
    return loading;
  };

  const handler: RequestHandler = async (req: Request, res: Response, next: NextFunction) => {
    if (!ownedByProvider(req.path)) return next();
    if (req.method === 'POST' && CLIENT_AUTHENTICATION.has(req.path)) await deps.clientAuthLimiter.check(clientIp(req));
    const { handle } = await current();
    asIssuer(req, deps.config.baseUrl);
    failures.set(req, next);
    await handle(req, res);
  };

  return {
    handler,
    /** The library's instance, for the interaction pages (interactionDetails, Grant). */
    provider: async () => (await current()).provider,
  };
}

export type ProviderHost = ReturnType<typeof createProviderHost>;

/** Every URL the library builds names BASE_URL, never the Host header the client sent. */
export function asIssuer(req: Request, baseUrl: URL): void {
  req.headers['x-forwarded-host'] = baseUrl.host;
  req.headers['x-forwarded-proto'] = baseUrl.protocol.slice(0, -1);
}

/** An account the provider may use: present, not locked, not locked down ("This wasn't me"). */
export function usableAccount(user: User | undefined): User | undefined {
  return user && !user.lockedAt && !user.passwordResetRequired ? user : undefined;
}
