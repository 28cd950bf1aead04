import type { Knex } from 'knex';
import { uniqueViolation } from '../../infra/db-errors';
import { isUuid } from '../../infra/ids';

/** `admin`: everything `write` may, plus the admin API; only administrators hold such tokens. */
export type Scope = 'read' | 'write' | 'admin';

export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  lastFour: string;
  scope: Scope;
  allowedIps: string[] | null;
  expiresAt: Date;
  createdAt: Date;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  lastUsedAgent: string | null;
  knownIps: string[];
}

export interface AppPassword {
  id: string;
  userId: string;
  name: string;
  scope: Scope;
  createdAt: Date;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  lastUsedAgent: string | null;
}

export interface SshKey {
  id: string;
  userId: string;
  title: string;
  keyType: string;
  bits: number;
  fingerprint: string;
  publicKey: string;
  comment: string;
  createdAt: Date;
}

type Row = Record<string, unknown>;
const date = (v: unknown) => (v ? new Date(v as string) : null);

const toToken = (r: Row): ApiToken => ({
  id: r.id as string,
  userId: r.user_id as string,
  name: r.name as string,
  lastFour: r.last_four as string,
  scope: r.scope as Scope,
  allowedIps: (r.allowed_ips as string[] | null) ?? null,
  expiresAt: new Date(r.expires_at as string),
  createdAt: new Date(r.created_at as string),
  lastUsedAt: date(r.last_used_at),
  lastUsedIp: (r.last_used_ip as string | null) ?? null,
  lastUsedAgent: (r.last_used_agent as string | null) ?? null,
  knownIps: (r.known_ips as string[] | null) ?? [],
});

const toAppPassword = (r: Row): AppPassword => ({
  id: r.id as string,
  userId: r.user_id as string,
  name: r.name as string,
  scope: r.scope as Scope,
  createdAt: new Date(r.created_at as string),
  lastUsedAt: date(r.last_used_at),
  lastUsedIp: (r.last_used_ip as string | null) ?? null,
  lastUsedAgent: (r.last_used_agent as string | null) ?? null,
});

const toSshKey = (r: Row): SshKey => ({
  id: r.id as string,
  userId: r.user_id as string,
  title: r.title as string,
  keyType: r.key_type as string,
  bits: Number(r.bits),
  fingerprint: r.fingerprint as string,
  publicKey: r.public_key as string,
  comment: r.comment as string,
  createdAt: new Date(r.created_at as string),
});

export class DuplicateSshKeyError extends Error {}

/** Tokens, app passwords and SSH keys: the credentials people give to programs. */
export function createCredentialsRepository(db: Knex | Knex.Transaction) {
  return {
    async insertToken(token: { userId: string; name: string; hash: string; lastFour: string; scope: Scope; allowedIps: string[] | null; expiresAt: Date; now: Date }): Promise<ApiToken> {
      const [row] = await db('api_tokens')
        .insert({ user_id: token.userId, name: token.name, token_hash: token.hash, last_four: token.lastFour, scope: token.scope, allowed_ips: token.allowedIps && JSON.stringify(token.allowedIps), expires_at: token.expiresAt, created_at: token.now })
        .returning('*');
      return toToken(row as Row);
    },

    async listTokens(userId: string): Promise<ApiToken[]> {
      return (await db('api_tokens').where({ user_id: userId }).orderBy('created_at', 'desc')).map(toToken);
    },

    async findTokenByHash(hash: string): Promise<ApiToken | undefined> {
      const row = await db('api_tokens').where({ token_hash: hash }).first();
      return row && toToken(row as Row);
    },

    async findToken(userId: string, id: string): Promise<ApiToken | undefined> {
      if (!isUuid(id)) return undefined;
      const row = await db('api_tokens').where({ user_id: userId, id }).first();
      return row && toToken(row as Row);
    },

    async replaceTokenSecret(userId: string, id: string, hash: string, lastFour: string): Promise<boolean> {
      return (await db('api_tokens').where({ user_id: userId, id }).update({ token_hash: hash, last_four: lastFour })) === 1;
    },

    async recordTokenUse(id: string, use: { ip: string; agent: string; now: Date; knownIps: string[] }): Promise<void> {
      await db('api_tokens').where({ id }).update({ last_used_at: use.now, last_used_ip: use.ip, last_used_agent: use.agent.slice(0, 256), known_ips: JSON.stringify(use.knownIps) });
    },

    async deleteToken(userId: string, id: string): Promise<boolean> {
      return (await db('api_tokens').where({ user_id: userId, id }).del()) === 1;
    },

    async deleteAllTokens(userId: string): Promise<number> {
      return db('api_tokens').where({ user_id: userId }).del();
    },

    /** Tokens that expire within the window and whose owner has not been reminded yet. */
    async tokensToRemind(now: Date, until: Date, limit: number): Promise<ApiToken[]> {
      return (await db('api_tokens').whereNull('reminded_at').andWhere('expires_at', '>', now).andWhere('expires_at', '<=', until).orderBy('expires_at').limit(limit)).map(toToken);
    },

    async markReminded(id: string, now: Date): Promise<boolean> {
      return (await db('api_tokens').where({ id }).whereNull('reminded_at').update({ reminded_at: now })) === 1;
    },

    async insertAppPassword(entry: { userId: string; name: string; hash: string; scope: Scope; now: Date }): Promise<AppPassword> {
      const [row] = await db('app_passwords').insert({ user_id: entry.userId, name: entry.name, password_hash: entry.hash, scope: entry.scope, created_at: entry.now }).returning('*');
      return toAppPassword(row as Row);
    },

    async listAppPasswords(userId: string): Promise<AppPassword[]> {
      return (await db('app_passwords').where({ user_id: userId }).orderBy('created_at', 'desc')).map(toAppPassword);
    },

    async findAppPasswordByHash(hash: string): Promise<AppPassword | undefined> {
      const row = await db('app_passwords').where({ password_hash: hash }).first();
      return row && toAppPassword(row as Row);
    },

    async recordAppPasswordUse(id: string, use: { ip: string; agent: string; now: Date }): Promise<void> {
      await db('app_passwords').where({ id }).update({ last_used_at: use.now, last_used_ip: use.ip, last_used_agent: use.agent.slice(0, 256) });
    },

    async deleteAppPassword(userId: string, id: string): Promise<boolean> {
      return (await db('app_passwords').where({ user_id: userId, id }).del()) === 1;
    },

    async deleteAllAppPasswords(userId: string): Promise<number> {
      return db('app_passwords').where({ user_id: userId }).del();
    },

    async insertSshKey(key: { userId: string; title: string; keyType: string; bits: number; fingerprint: string; publicKey: string; comment: string; now: Date }): Promise<SshKey> {
      try {
        const [row] = await db('ssh_keys')
          .insert({ user_id: key.userId, title: key.title, key_type: key.keyType, bits: key.bits, fingerprint: key.fingerprint, public_key: key.publicKey, comment: key.comment, created_at: key.now })
          .returning('*');
        return toSshKey(row as Row);
      } catch (err) {
        if (uniqueViolation(err)) throw new DuplicateSshKeyError();
        throw err;
      }
    },

    async listSshKeys(userId: string): Promise<SshKey[]> {
      return (await db('ssh_keys').where({ user_id: userId }).orderBy('created_at')).map(toSshKey);
    },

    async findSshKey(userId: string, id: string): Promise<SshKey | undefined> {
      if (!isUuid(id)) return undefined;
      const row = await db('ssh_keys').where({ user_id: userId, id }).first();
      return row && toSshKey(row as Row);
    },

    async deleteSshKey(userId: string, id: string): Promise<boolean> {
      return (await db('ssh_keys').where({ user_id: userId, id }).del()) === 1;
    },
  };
}

export type CredentialsRepository = ReturnType<typeof createCredentialsRepository>;
