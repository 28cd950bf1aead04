import type { Knex } from 'knex';

/** An application registered to sign its users in with this service. */
export interface OidcClientRecord {
  clientId: string;
  name: string;
  /** Encrypted with DATA_KEY; null for a public client (PKCE without a secret). */
  secretCiphertext: string | null;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  public: boolean;
  createdAt: Date;
}

type Row = Record<string, unknown>;

const list = (value: unknown): string[] => (typeof value === 'string' ? (JSON.parse(value) as string[]) : (value as string[]));

const toClient = (r: Row): OidcClientRecord => ({
  clientId: r.client_id as string,
  name: r.name as string,
  secretCiphertext: (r.secret_ciphertext as string | null) ?? null,
  redirectUris: list(r.redirect_uris),
  postLogoutRedirectUris: list(r.post_logout_redirect_uris),
  public: Boolean(r.public),
  createdAt: new Date(r.created_at as string),
});

export function createOidcClientsRepository(db: Knex | Knex.Transaction) {
  const table = () => db('oidc_clients');
  return {
    async insert(client: OidcClientRecord): Promise<void> {
      await table().insert({
        client_id: client.clientId,
        name: client.name,
        secret_ciphertext: client.secretCiphertext,
        redirect_uris: JSON.stringify(client.redirectUris),
        post_logout_redirect_uris: JSON.stringify(client.postLogoutRedirectUris),
        public: client.public,
        created_at: client.createdAt,
      });
    },

    async find(clientId: string): Promise<OidcClientRecord | undefined> {
      const row = await table().where({ client_id: clientId }).first();
      return row && toClient(row);
    },

    async findMany(clientIds: string[]): Promise<OidcClientRecord[]> {
      if (clientIds.length === 0) return [];
      return (await table().whereIn('client_id', clientIds)).map(toClient);
    },

    async list(): Promise<OidcClientRecord[]> {
      return (await table().orderBy('created_at')).map(toClient);
    },

    /** Removes the application with every grant and token it holds (they cascade). */
    async remove(clientId: string): Promise<boolean> {
      return (await table().where({ client_id: clientId }).del()) > 0;
    },
  };
}

export type OidcClientsRepository = ReturnType<typeof createOidcClientsRepository>;
