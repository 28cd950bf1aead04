import type { Clock } from '../../infra/clock';
import { NotFoundError } from '../../infra/errors';
import type { RequestContext } from '../../http/request-context';
import type { CredentialsRepository } from './credentials.repository';
import type { Repos } from '../../core/repos';
import type { NoticeTables, SecurityNotices } from '../../core/security/security-notices';
import type { User } from '../../core/users/user';
import type { AppPassword, Scope } from './credentials.repository';
import { newAppPassword, normalizeAppPassword, secretDigest } from './secret-formats';

/** The tables this module reads and writes. */
type Tables = NoticeTables & { credentials: CredentialsRepository };

/**
 * For clients that can only send a username and a password: one per client, shown once,
 * stored as a digest, accepted only by HTTP Basic on the JSON API (never by the sign-in
 * form), with a read or write scope.
 */
export function createAppPasswordsService(deps: { repos: Repos<Tables>; clock: Clock; notices: SecurityNotices }) {
  const { repos, clock } = deps;
  return {
    list: (user: User): Promise<AppPassword[]> => repos.credentials.listAppPasswords(user.id),

    async create(user: User, input: { name: string; scope: Scope }, ctx: RequestContext): Promise<{ appPassword: AppPassword; secret: string }> {
      const secret = newAppPassword();
      const appPassword = await repos.transaction(async (tx) => {
        const created = await tx.credentials.insertAppPassword({ userId: user.id, name: input.name, hash: secretDigest(normalizeAppPassword(secret)), scope: input.scope, now: clock.now() });
        await deps.notices.record(tx, user, 'app_password_created', ctx, { name: input.name });
        return created;
      });
      return { appPassword, secret };
    },

    async revoke(user: User, id: string, ctx: RequestContext): Promise<void> {
      const entry = (await repos.credentials.listAppPasswords(user.id)).find((p) => p.id === id);
      if (!entry) throw new NotFoundError('appPasswords.errors.notFound');
      await repos.transaction(async (tx) => {
        await tx.credentials.deleteAppPassword(user.id, id);
        await deps.notices.record(tx, user, 'app_password_revoked', ctx, { name: entry.name });
      });
    },
  };
}

export type AppPasswordsService = ReturnType<typeof createAppPasswordsService>;
