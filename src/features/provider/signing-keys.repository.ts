import type { Knex } from 'knex';

/** A key the provider signs ID tokens with; its private part encrypted with DATA_KEY. */
export interface SigningKeyRecord {
  kid: string;
  alg: string;
  privateJwkCiphertext: string;
  createdAt: Date;
  activatesAt: Date;
  retiresAt: Date | null;
}

type Row = Record<string, unknown>;

const toKey = (r: Row): SigningKeyRecord => ({
  kid: r.kid as string,
  alg: r.alg as string,
  privateJwkCiphertext: r.private_jwk_ciphertext as string,
  createdAt: new Date(r.created_at as string),
  activatesAt: new Date(r.activates_at as string),
  retiresAt: r.retires_at ? new Date(r.retires_at as string) : null,
});

export function createSigningKeysRepository(db: Knex | Knex.Transaction) {
  const table = () => db('oidc_signing_keys');
  return {
    /** Keys still published at `now`: not retired, or retired less than `keepMs` ago. Newest first. */
    async published(now: Date, keepMs: number): Promise<SigningKeyRecord[]> {
      const since = new Date(now.getTime() - keepMs);
      return (await table().where((q) => q.whereNull('retires_at').orWhere('retires_at', '>', since)).orderBy([{ column: 'activates_at', order: 'desc' }, { column: 'kid' }])).map(toKey);
    },

    /** Makes changes to the key set take turns until the transaction ends; readers are not held up. */
    async lockForChange(): Promise<void> {
      await db.raw('lock table oidc_signing_keys in share row exclusive mode');
    },

    async insert(key: SigningKeyRecord): Promise<void> {
      await table().insert({
        kid: key.kid,
        alg: key.alg,
        private_jwk_ciphertext: key.privateJwkCiphertext,
        created_at: key.createdAt,
        activates_at: key.activatesAt,
        retires_at: key.retiresAt,
      });
    },

    /** Marks the keys still in force (except `keep`) as retiring from `at`. */
    async retireOthers(keep: string, at: Date): Promise<number> {
      return table().whereNot({ kid: keep }).whereNull('retires_at').update({ retires_at: at });
    },

    /** Deletes keys retired before `before`: no token they signed can still be valid. */
    async deleteRetiredBefore(before: Date): Promise<number> {
      return table().where('retires_at', '<=', before).del();
    },
  };
}

export type SigningKeysRepository = ReturnType<typeof createSigningKeysRepository>;
