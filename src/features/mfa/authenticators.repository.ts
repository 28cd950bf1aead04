import type { Knex } from 'knex';

export interface TotpRecord {
  id: string;
  /** The shared secret, encrypted with DATA_KEY. */
  secret: string;
  /** The last time step accepted: a code is never accepted twice. */
  lastUsedStep: number;
  createdAt: Date;
}

export interface RecoveryCode {
  id: string;
  hash: string;
  usedAt: Date | null;
}

export interface RecoveryCodeSet {
  id: string;
  codes: RecoveryCode[];
  createdAt: Date;
}

export interface PasskeyRecord {
  id: string;
  name: string;
  credentialId: string;
  publicKey: string;
  counter: number;
  transports: string[];
  aaguid: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

interface AuthenticatorRow {
  id: string;
  user_id: string;
  type: 'totp' | 'recovery_codes' | 'passkey';
  name: string | null;
  data: Record<string, unknown>;
  credential_id: string | null;
  created_at: Date;
  last_used_at: Date | null;
}

interface RecoveryCodeRow {
  id: string;
  set_id: string;
  code_hash: string;
  used_at: Date | null;
}

const json = (value: unknown) => JSON.stringify(value) as unknown as Record<string, unknown>;

function toPasskey(row: AuthenticatorRow): PasskeyRecord & { userId: string } {
  const d = row.data as { publicKey: string; counter: number; transports?: string[]; aaguid?: string };
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name ?? '',
    credentialId: row.credential_id ?? '',
    publicKey: d.publicKey,
    counter: Number(d.counter),
    transports: d.transports ?? [],
    aaguid: d.aaguid ?? '',
    createdAt: new Date(row.created_at),
    lastUsedAt: row.last_used_at && new Date(row.last_used_at),
  };
}

export function createAuthenticatorsRepository(db: Knex | Knex.Transaction) {
  const table = () => db<AuthenticatorRow>('authenticators');
  return {
    async findTotp(userId: string): Promise<TotpRecord | undefined> {
      const row = await table().where({ user_id: userId, type: 'totp' }).first();
      if (!row) return undefined;
      const d = row.data as { secret: string; lastUsedStep?: number };
      return { id: row.id, secret: d.secret, lastUsedStep: Number(d.lastUsedStep ?? -1), createdAt: new Date(row.created_at) };
    },

    /** Turns the app on with the step that proved it used up; false when the account has one already. */
    async insertTotp(userId: string, secret: string, usedStep: number, now: Date): Promise<boolean> {
      const rows = await table().insert({ user_id: userId, type: 'totp', data: json({ secret, lastUsedStep: usedStep }), created_at: now, last_used_at: now }).onConflict().ignore().returning('id');
      return rows.length === 1;
    },

    /** Records a used time step, only if it is later than the last one: two requests cannot both use a code. */
    async claimTotpStep(id: string, step: number, now: Date): Promise<boolean> {
      const count = await table()
        .where({ id })
        .andWhereRaw(`coalesce((data->>'lastUsedStep')::bigint, -1) < ?`, [step])
        .update({ data: db.raw(`jsonb_set(data, '{lastUsedStep}', to_jsonb(?::bigint))`, [step]) as unknown as Record<string, unknown>, last_used_at: now });
      return count === 1;
    },

    async findRecoveryCodes(userId: string): Promise<RecoveryCodeSet | undefined> {
      const set = await table().where({ user_id: userId, type: 'recovery_codes' }).first();
      if (!set) return undefined;
      const rows = await db<RecoveryCodeRow>('recovery_codes').where({ set_id: set.id }).select('id', 'code_hash', 'used_at');
      return { id: set.id, codes: rows.map((r) => ({ id: r.id, hash: r.code_hash, usedAt: r.used_at && new Date(r.used_at) })), createdAt: new Date(set.created_at) };
    },

    /**
     * New codes in place of the old ones. The set row is created or taken over in one
     * statement, which holds it until the transaction ends: two regenerations at once
     * take turns instead of colliding on the one-set-per-account index.
     */
    async replaceRecoveryCodes(userId: string, hashes: string[], now: Date): Promise<void> {
      const result = (await db.raw(
        `insert into authenticators (user_id, type, data, created_at) values (?, 'recovery_codes', '{}', ?)
         on conflict (user_id) where type = 'recovery_codes' do update set created_at = excluded.created_at, last_used_at = null
         returning id`,
        [userId, now],
      )) as { rows: Array<{ id: string }> };
      const setId = (result.rows[0] as { id: string }).id;
      await db<RecoveryCodeRow>('recovery_codes').where({ set_id: setId }).del();
      await db<RecoveryCodeRow>('recovery_codes').insert(hashes.map((hash) => ({ set_id: setId, code_hash: hash })));
    },

    /** Uses one code up in one conditional UPDATE: of requests racing with the same code, exactly one changes the row. */
    async useRecoveryCode(codeId: string, now: Date): Promise<boolean> {
      return (await db<RecoveryCodeRow>('recovery_codes').where({ id: codeId }).whereNull('used_at').update({ used_at: now })) === 1;
    },

    async listPasskeys(userId: string): Promise<PasskeyRecord[]> {
      return (await table().where({ user_id: userId, type: 'passkey' }).orderBy('created_at')).map(toPasskey);
    },

    /** The passkeys, locked until the transaction ends: concurrent removals take turns and see each other's result. */
    async lockPasskeys(userId: string): Promise<PasskeyRecord[]> {
      return (await table().where({ user_id: userId, type: 'passkey' }).orderBy('created_at').forUpdate()).map(toPasskey);
    },

    async findPasskeyByCredentialId(credentialId: string): Promise<(PasskeyRecord & { userId: string }) | undefined> {
      const row = await table().where({ credential_id: credentialId, type: 'passkey' }).first();
      return row && toPasskey(row);
    },

    /** Stores a new passkey; false when its credential is registered already (to anyone). */
    async insertPasskey(userId: string, passkey: { name: string; credentialId: string; publicKey: string; counter: number; transports: string[]; aaguid: string }, now: Date): Promise<boolean> {
      const rows = await table()
        .insert({
          user_id: userId,
          type: 'passkey',
          name: passkey.name,
          credential_id: passkey.credentialId,
          data: json({ publicKey: passkey.publicKey, counter: passkey.counter, transports: passkey.transports, aaguid: passkey.aaguid }),
          created_at: now,
        })
        .onConflict('credential_id')
        .ignore()
        .returning('id');
      return rows.length === 1;
    },

    /** Stores the counter after a use, only if it went forwards (or the authenticator does not count). */
    async recordPasskeyUse(id: string, counter: number, now: Date): Promise<boolean> {
      const count = await table()
        .where({ id })
        .andWhere((q) => q.whereRaw(`(data->>'counter')::bigint < ?`, [counter]).orWhereRaw(`? = 0 and (data->>'counter')::bigint = 0`, [counter]))
        .update({ data: db.raw(`jsonb_set(data, '{counter}', to_jsonb(?::bigint))`, [counter]) as unknown as Record<string, unknown>, last_used_at: now });
      return count === 1;
    },

    async renamePasskey(userId: string, id: string, name: string): Promise<boolean> {
      return (await table().where({ user_id: userId, id, type: 'passkey' }).update({ name })) === 1;
    },

    async deletePasskey(userId: string, id: string): Promise<boolean> {
      return (await table().where({ user_id: userId, id, type: 'passkey' }).del()) === 1;
    },

    async deleteTypes(userId: string, types: Array<AuthenticatorRow['type']>): Promise<number> {
      return table().where({ user_id: userId }).whereIn('type', types).del();
    },

    async countPasskeys(userId: string): Promise<number> {
      const [row] = await table().where({ user_id: userId, type: 'passkey' }).count<Array<{ count: number }>>('* as count');
      return Number(row?.count ?? 0);
    },
  };
}

export type AuthenticatorsRepository = ReturnType<typeof createAuthenticatorsRepository>;
