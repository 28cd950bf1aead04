import type { Clock } from '../../infra/clock';
import { ForbiddenError, UnauthorizedError } from '../../infra/errors';
import type { RequestContext } from '../../http/request-context';
import type { CredentialsRepository } from '../credentials/credentials.repository';
import type { Repos } from '../../core/repos';
import type { NoticeTables, SecurityNotices } from '../../core/security/security-notices';
import type { CredentialCheck } from '../password/credential-check';
import type { Scope } from '../credentials/credentials.repository';
import { allows } from '../credentials/ip-allow-list';
import { isWellFormedApiToken, normalizeAppPassword, secretDigest } from '../credentials/secret-formats';
import type { User } from '../../core/users/user';

/** The tables this module reads and writes. */
type Tables = NoticeTables & { credentials: CredentialsRepository };

export interface ApiPrincipal {
  user: User;
  scope: Scope;
  via: 'token' | 'app_password' | 'session';
  /** What the per-client rate limit counts against. */
  clientKey: string;
}

const KNOWN_IPS_KEPT = 20;

/** Who is calling the JSON API, from a bearer token or HTTP Basic with an app password. */
export function createApiAccessService(deps: { repos: Repos<Tables>; clock: Clock; notices: SecurityNotices; credentials: CredentialCheck }) {
  const { repos, clock } = deps;

  async function usable(userId: string): Promise<User> {
    const user = await repos.users.findById(userId);
    if (!user) throw new UnauthorizedError('api.errors.badCredentials', 'invalid_credentials');
    if (user.lockedAt) throw new ForbiddenError('auth.signIn.errors.locked', 'account_locked');
    return user;
  }

  return {
    /** A personal access token: known, not expired, and used from an allowed address. */
    async bearer(secret: string, ctx: RequestContext): Promise<ApiPrincipal> {
      if (!isWellFormedApiToken(secret)) throw new UnauthorizedError('api.errors.badCredentials', 'invalid_credentials');
      const token = await repos.credentials.findTokenByHash(secretDigest(secret));
      if (!token) throw new UnauthorizedError('api.errors.badCredentials', 'invalid_credentials');
      if (token.expiresAt.getTime() <= clock.now().getTime()) throw new UnauthorizedError('api.errors.tokenExpired', 'token_expired');
      const user = await usable(token.userId);
      if (!allows(token.allowedIps, ctx.ip)) {
        await repos.transaction((tx) => deps.notices.record(tx, user, 'token_refused_ip', ctx, { name: token.name }));
        throw new ForbiddenError('api.errors.ipNotAllowed', 'ip_not_allowed');
      }
      const newIp = !token.knownIps.includes(ctx.ip);
      await repos.transaction(async (tx) => {
        await tx.credentials.recordTokenUse(token.id, { ip: ctx.ip, agent: ctx.userAgent, now: clock.now(), knownIps: newIp ? [ctx.ip, ...token.knownIps].slice(0, KNOWN_IPS_KEPT) : token.knownIps });
        if (newIp) await deps.notices.record(tx, user, 'token_used_from_new_ip', ctx, { name: token.name });
      });
      return { user, scope: token.scope, via: 'token', clientKey: `token:${token.id}` };
    },

    /** HTTP Basic: username and an app password (never the account password). Rate limited like sign-in. */
    async basic(username: string, password: string, ctx: RequestContext): Promise<ApiPrincipal> {
      const user = await repos.users.findByUsername(username);
      // The same lookups whether the account exists or not; the shared credential limits count the attempt.
      const found = await repos.credentials.findAppPasswordByHash(secretDigest(normalizeAppPassword(password)));
      const entry = user && found?.userId === user.id ? found : undefined;
      await deps.credentials.recordAttempt(user, username, ctx, Boolean(entry));
      if (!user || !entry) throw new UnauthorizedError('api.errors.badCredentials', 'invalid_credentials');
      const owner = await usable(user.id);
      await repos.credentials.recordAppPasswordUse(entry.id, { ip: ctx.ip, agent: ctx.userAgent, now: clock.now() });
      return { user: owner, scope: entry.scope, via: 'app_password', clientKey: `app-password:${entry.id}` };
    },
  };
}

export type ApiAccessService = ReturnType<typeof createApiAccessService>;
