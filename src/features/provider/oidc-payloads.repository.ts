import type { Knex } from 'knex';

/** One record of the provider library (a grant, code, token, session or interaction), as its adapter sees it. */
export type OidcPayload = Record<string, unknown> & {
  accountId?: string;
  clientId?: string;
  grantId?: string;
  uid?: string;
  consumed?: number;
};

/** An application a person allowed: the library's grant, with what it may see and when it was last used. */
export interface ConnectedAppRow {
  grantId: string;
  clientId: string;
  scopes: string[];
  allowedAt: Date;
  lastUsedAt: Date | null;
}

/** Records that tell that an application was used: each moves its grant's "last used". */
const USES = new Set(['AccessToken', 'RefreshToken', 'AuthorizationCode']);

type Row = Record<string, unknown>;

const payloadOf = (row: Row | undefined): OidcPayload | undefined => {
  if (!row) return undefined;
  const payload = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as OidcPayload;
  return row.consumed_at ? { ...payload, consumed: Math.floor(new Date(row.consumed_at as string).getTime() / 1000) } : payload;
};

/**
 * The provider library's storage in the database (its adapter interface, for every model
 * it keeps). Expired records are never returned; data retention deletes them.
 */
export function createOidcPayloadsRepository(db: Knex | Knex.Transaction) {
  const table = () => db('oidc_payloads');
  const live = (query: Knex.QueryBuilder, now: Date) => query.where((q) => q.whereNull('expires_at').orWhere('expires_at', '>', now));
  return {
    async upsert(model: string, id: string, payload: OidcPayload, expiresAt: Date | null, now: Date): Promise<void> {
      const row = {
        model,
        id,
        payload: JSON.stringify(payload),
        account_id: payload.accountId ?? null,
        client_id: payload.clientId ?? null,
        grant_id: payload.grantId ?? null,
        uid: payload.uid ?? null,
        expires_at: expiresAt,
        created_at: now,
      };
      await table().insert(row).onConflict(['model', 'id']).merge(['payload', 'account_id', 'client_id', 'grant_id', 'uid', 'expires_at']);
      if (USES.has(model) && payload.grantId) await table().where({ model: 'Grant', id: payload.grantId }).update({ last_used_at: now });
    },

    async find(model: string, id: string, now: Date): Promise<OidcPayload | undefined> {
      return payloadOf(await live(table().where({ model, id }), now).first());
    },

    async findByUid(model: string, uid: string, now: Date): Promise<OidcPayload | undefined> {
      return payloadOf(await live(table().where({ model, uid }), now).first());
    },

    async consume(model: string, id: string, now: Date): Promise<void> {
      await table().where({ model, id }).update({ consumed_at: now });
    },

    async destroy(model: string, id: string): Promise<void> {
      await table().where({ model, id }).del();
    },

    /** Every record issued under a grant, and the grant itself. */
    async revokeByGrantId(grantId: string): Promise<void> {
      await table().where({ grant_id: grantId }).orWhere({ model: 'Grant', id: grantId }).del();
    },

    /** An account's grants, codes, tokens and provider sessions (a lock, "This wasn't me"): how many grants went. */
    async revokeAccount(accountId: string): Promise<number> {
      const grants = await table().where({ account_id: accountId, model: 'Grant' }).count<Array<{ count: number | string }>>('* as count');
      await table().where({ account_id: accountId }).del();
      return Number(grants[0]?.count ?? 0);
    },

    /** One application's grant of an account and everything issued under it; false when it had none. */
    async revokeApp(accountId: string, clientId: string): Promise<boolean> {
      const grants = await table().where({ account_id: accountId, client_id: clientId, model: 'Grant' }).pluck('id');
      if (grants.length === 0) return false;
      await table().whereIn('grant_id', grants).orWhere((q) => q.where({ model: 'Grant' }).whereIn('id', grants)).del();
      return true;
    },

    /** The account's grant for an application, if one is in force: a second authorization reuses it. */
    async findGrantId(accountId: string, clientId: string, now: Date): Promise<string | undefined> {
      const row = await live(table().where({ account_id: accountId, client_id: clientId, model: 'Grant' }), now).orderBy('created_at', 'desc').first('id');
      return row?.id as string | undefined;
    },

    async listGrants(accountId: string, now: Date): Promise<ConnectedAppRow[]> {
      const rows = await live(table().where({ account_id: accountId, model: 'Grant' }), now).orderBy('created_at');
      return rows.map((row: Row) => {
        const payload = payloadOf(row) as { openid?: { scope?: string } };
        return {
          grantId: row.id as string,
          clientId: row.client_id as string,
          scopes: (payload.openid?.scope ?? '').split(' ').filter(Boolean),
          allowedAt: new Date(row.created_at as string),
          lastUsedAt: row.last_used_at ? new Date(row.last_used_at as string) : null,
        };
      });
    },

    /** How many people allowed each application (their grants in force), by client id; an application nobody allowed is not in it. */
    async countPeopleByClient(now: Date): Promise<Map<string, number>> {
      const rows: Row[] = await live(table().where({ model: 'Grant' }), now).whereNotNull('client_id').groupBy('client_id').select('client_id').countDistinct('account_id as people');
      return new Map(rows.map((row) => [row.client_id as string, Number(row.people)]));
    },

    /** Deletes up to `limit` expired records (data retention); returns how many went. */
    async deleteExpired(now: Date, limit: number): Promise<number> {
      const expired = table().select(db.raw('ctid')).where('expires_at', '<=', now).limit(limit);
      return table().whereIn(db.raw('ctid') as unknown as string, expired).del();
    },
  };
}

export type OidcPayloadsRepository = ReturnType<typeof createOidcPayloadsRepository>;
