import type { Knex } from 'knex';
import { uniqueViolation } from '../../infra/db-errors';
import { isUuid } from '../../infra/ids';

/** An identity at an OpenID provider, connected to an account. */
export interface UserIdentity {
  id: string;
  userId: string;
  /** The provider's id in OIDC_PROVIDERS_FILE. */
  provider: string;
  issuer: string;
  subject: string;
  /** What the provider last said about the person, for display only. */
  email: string | null;
  displayName: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export type NewUserIdentity = Pick<UserIdentity, 'userId' | 'provider' | 'issuer' | 'subject' | 'email' | 'displayName'> & { now: Date };

/** The identity is connected already: to another account (`subject`), or this account has one at the provider (`provider`). */
export class IdentityTakenError extends Error {
  constructor(readonly conflict: 'subject' | 'provider') {
    super(`identity already connected (${conflict})`);
  }
}

type Row = Record<string, unknown>;

const toIdentity = (r: Row): UserIdentity => ({
  id: r.id as string,
  userId: r.user_id as string,
  provider: r.provider as string,
  issuer: r.issuer as string,
  subject: r.subject as string,
  email: (r.email as string | null) ?? null,
  displayName: (r.display_name as string | null) ?? null,
  createdAt: new Date(r.created_at as string),
  lastUsedAt: r.last_used_at ? new Date(r.last_used_at as string) : null,
});

export function createUserIdentitiesRepository(db: Knex | Knex.Transaction) {
  const table = () => db('user_identities');
  return {
    /** The account a provider's subject belongs to: matched by issuer and subject, never by address. */
    async findBySubject(provider: string, issuer: string, subject: string): Promise<UserIdentity | undefined> {
      const row = await table().where({ provider, issuer, subject }).first();
      return row && toIdentity(row);
    },

    async listByUser(userId: string): Promise<UserIdentity[]> {
      return (await table().where({ user_id: userId }).orderBy('created_at')).map(toIdentity);
    },

    async countByUser(userId: string): Promise<number> {
      const [row] = await table().where({ user_id: userId }).count<Array<{ count: number | string }>>('* as count');
      return Number(row?.count ?? 0);
    },

    async insert(identity: NewUserIdentity): Promise<UserIdentity> {
      try {
        const [row] = await table()
          .insert({ user_id: identity.userId, provider: identity.provider, issuer: identity.issuer, subject: identity.subject, email: identity.email, display_name: identity.displayName, created_at: identity.now, last_used_at: identity.now })
          .returning('*');
        return toIdentity(row as Row);
      } catch (err) {
        const constraint = uniqueViolation(err);
        if (constraint === 'user_identities_issuer_subject_unique') throw new IdentityTakenError('subject');
        if (constraint === 'user_identities_user_id_provider_unique') throw new IdentityTakenError('provider');
        throw err;
      }
    },

    /** A sign-in with it: when, and what the provider now says about the person. */
    async recordUse(id: string, display: { email: string | null; displayName: string | null }, now: Date): Promise<void> {
      await table().where({ id }).update({ last_used_at: now, email: display.email, display_name: display.displayName });
    },

    async delete(userId: string, id: string): Promise<UserIdentity | undefined> {
      if (!isUuid(id)) return undefined;
      const [row] = await table().where({ user_id: userId, id }).del().returning('*');
      return row && toIdentity(row as Row);
    },
  };
}

export type UserIdentitiesRepository = ReturnType<typeof createUserIdentitiesRepository>;
