import type { Knex } from 'knex';

export type TokenPurpose = 'password_reset' | 'password_set' | 'email_verify' | 'email_change' | 'email_revert' | 'recovery_email_verify' | 'lockdown';

export interface OneTimeToken {
  id: string;
  purpose: TokenPurpose;
  userId: string;
  payload: Record<string, unknown>;
  expiresAt: Date;
}

interface TokenRow {
  id: string;
  purpose: TokenPurpose;
  user_id: string;
  token_hash: string;
  payload: Record<string, unknown>;
  expires_at: Date;
  used_at: Date | null;
  created_at: Date;
}

const toToken = (row: TokenRow): OneTimeToken => ({
  id: row.id,
  purpose: row.purpose,
  userId: row.user_id,
  payload: row.payload,
  expiresAt: new Date(row.expires_at),
});

export function createOneTimeTokensRepository(db: Knex | Knex.Transaction) {
  const tokens = () => db<TokenRow>('one_time_tokens');
  return {
    async insert(token: { purpose: TokenPurpose; userId: string; tokenHash: string; payload: Record<string, unknown>; expiresAt: Date; now: Date }): Promise<void> {
      await tokens().insert({
        purpose: token.purpose,
        user_id: token.userId,
        token_hash: token.tokenHash,
        payload: JSON.stringify(token.payload) as unknown as Record<string, unknown>,
        expires_at: token.expiresAt,
        created_at: token.now,
      });
    },

    /** A token that can still be used: right purpose, not used, not expired. */
    async findUsable(purposes: TokenPurpose[], tokenHash: string, now: Date): Promise<OneTimeToken | undefined> {
      const row = await tokens()
        .where({ token_hash: tokenHash })
        .whereIn('purpose', purposes)
        .whereNull('used_at')
        .andWhere('expires_at', '>', now)
        .first();
      return row && toToken(row);
    },

    /** The newest usable token of a purpose for a user (a pending email change). */
    async findPending(userId: string, purpose: TokenPurpose, now: Date): Promise<OneTimeToken | undefined> {
      const row = await tokens().where({ user_id: userId, purpose }).whereNull('used_at').andWhere('expires_at', '>', now).orderBy('created_at', 'desc').first();
      return row && toToken(row);
    },

    /**
     * Uses a token up in one conditional UPDATE, which checks again that it is unused and
     * unexpired: of requests racing with one link, exactly one changes the row.
     */
    async markUsed(id: string, now: Date): Promise<boolean> {
      const count = await tokens().where({ id }).whereNull('used_at').andWhere('expires_at', '>', now).update({ used_at: now });
      return count === 1;
    },

    /** Retention: up to `limit` tokens used, or expired, before `cutoff`; returns how many went. */
    async deleteSpentBefore(cutoff: Date, limit: number): Promise<number> {
      const spent = tokens()
        .select('id')
        .where((q) => q.where('used_at', '<', cutoff).orWhere('expires_at', '<', cutoff))
        .limit(limit);
      return tokens().whereIn('id', spent).del();
    },

    /** Kills every outstanding token of these purposes for the user (e.g. on password change). */
    async revokeForUser(userId: string, purposes: TokenPurpose[], now: Date): Promise<number> {
      return tokens().where({ user_id: userId }).whereIn('purpose', purposes).whereNull('used_at').update({ used_at: now });
    },
  };
}

export type OneTimeTokensRepository = ReturnType<typeof createOneTimeTokensRepository>;
