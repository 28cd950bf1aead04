import type { DirectoryClient } from '../../infra/ldap/directory-client';
import type { Logger } from '../../infra/logger';
import type { RequestContext } from '../../http/request-context';
import type { User } from '../../core/users/user';
import type { DirectoryAccounts } from './directory-accounts.service';

/**
 * Signing in with the directory's password. The rate limits, the equalised timing and the
 * session rules are the credential check's and the sign-in's, as for a local password;
 * this decides only what the directory says.
 */
export function createDirectoryService({ client, accounts, logger }: { client?: DirectoryClient; accounts: DirectoryAccounts; logger: Logger }) {
  const unavailable = (err: unknown): never => {
    logger.warn({ err: (err as { reason?: unknown }).reason ?? err }, 'directory unavailable');
    throw err;
  };

  return {
    enabled: client !== undefined,

    /** Whether a password for this account (or for a name no account has) is the directory's to check. */
    handles(user: User | undefined): boolean {
      return client !== undefined && (user === undefined || user.source === 'ldap');
    },

    /**
     * The account for a directory sign-in name and password, created or refreshed; undefined
     * when the directory does not know the name, the password is wrong or the entry is
     * disabled (one answer for all three, as for local accounts).
     */
    async signIn(identifier: string, password: string, ctx: RequestContext): Promise<User | undefined> {
      if (!client) return undefined;
      const person = await client.authenticate(identifier, password).catch(unavailable);
      if (!person || person.disabled) return undefined;
      return accounts.adopt(person, ctx);
    },

    /** Re-authentication of a directory account: its password is the directory's. */
    async verifyPassword(user: User, password: string): Promise<boolean> {
      if (!client) return false;
      const person = await client.verify(user.username, password).catch(unavailable);
      return person !== undefined && !person.disabled;
    },

    /** Whether the directory answers and takes the service account's bind (/readyz reports it). */
    async ping(): Promise<void> {
      await client?.ping();
    },
  };
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;
