import type { Clock } from '../../infra/clock';
import type { SessionRegistry } from '../../infra/session-store/session-registry';
import type { RequestContext } from '../../http/request-context';
import type { CredentialsRepository } from '../credentials/credentials.repository';
import type { OidcPayloadsRepository } from '../provider/oidc-payloads.repository';
import type { Repos } from '../../core/repos';
import type { OneTimeLinks } from '../../core/one-time-links/one-time-links';
import type { PasswordResetService } from '../auth/password-reset.service';
import type { NoticeTables, SecurityNotices } from '../../core/security/security-notices';

/** The tables this module reads and writes. */
type Tables = NoticeTables & { credentials: CredentialsRepository; oidcPayloads: OidcPayloadsRepository };

/**
 * "This wasn't me": the link in every security notice locks the account down in one step.
 * Every session ends, every token and app password is revoked (and every application's
 * grant and tokens at this service's OpenID Provider), nobody can sign in until a
 * new password is chosen, and the link to choose it goes to the recovery (or primary)
 * address. The link works once, for 7 days, without signing in; opening it changes nothing.
 */
export function createLockdownService(deps: { repos: Repos<Tables>; oneTimeLinks: OneTimeLinks; passwordReset: PasswordResetService; notices: SecurityNotices; sessions: SessionRegistry; clock: Clock }) {
  const open = (token: string) => deps.oneTimeLinks.open(token, ['lockdown'], 'lockdown');
  return {
    /** Whose account the link is for (its page names it). */
    async describe(token: string): Promise<{ username: string }> {
      return { username: (await open(token)).user.username };
    },

    /** Locks the account down; returns the address the reset link went to. */
    async lockDown(token: string, ctx: RequestContext): Promise<{ address: string }> {
      const { token: found, user } = await open(token);
      const now = deps.clock.now();
      const address = await deps.repos.transaction(async (tx) => {
        await deps.oneTimeLinks.spend(tx, found, 'lockdown');
        // A directory account's password is changed in the directory, where this service
        // cannot see it happen: waiting here for a reset would shut its owner out for good.
        if (user.source !== 'ldap') await tx.users.requirePasswordReset(user.id, now);
        const tokens = await tx.credentials.deleteAllTokens(user.id);
        const appPasswords = await tx.credentials.deleteAllAppPasswords(user.id);
        await tx.oidcPayloads.revokeAccount(user.id);
        await deps.notices.record(tx, user, 'lockdown', ctx, { tokens: String(tokens), appPasswords: String(appPasswords) });
        return deps.passwordReset.mailResetLink(tx, user, ctx);
      });
      await deps.sessions.destroyAllForUser(user.id, undefined, 'signed_out_everywhere');
      return { address };
    },
  };
}

export type LockdownService = ReturnType<typeof createLockdownService>;
