import type { Clock } from '../../infra/clock';
import type { Redis } from '../../infra/redis';
import type { OidcPayload, OidcPayloadsRepository } from './oidc-payloads.repository';
import type { OidcClientRecord, OidcClientsRepository } from './oidc-clients.repository';
import type { DataCipher } from '../../infra/crypto/data-cipher';
import { usesPrivateScheme } from './provider.schemas';

/** What oidc-provider asks of its storage, one instance per model (its adapter interface). */
export interface ProviderAdapter {
  upsert(id: string, payload: OidcPayload, expiresIn?: number): Promise<void>;
  find(id: string): Promise<OidcPayload | undefined>;
  findByUid(uid: string): Promise<OidcPayload | undefined>;
  findByUserCode(userCode: string): Promise<OidcPayload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

/**
 * What every id the library or this app makes looks like: printable ASCII, not long. A NUL
 * or a megabyte in a presented token is refused before PostgreSQL sees it (it rejects a NUL
 * in text with an error, which would be a 500).
 */
const plausibleId = (id: unknown): id is string => typeof id === 'string' && id.length > 0 && id.length <= 512 && /^[\x21-\x7e]+$/.test(id);

/** Records that live minutes at most: kept in Redis when it is configured, so they cost the database nothing. */
const SHORT_LIVED = new Set(['Interaction', 'AuthorizationCode', 'ReplayDetection', 'PushedAuthorizationRequest']);

export interface AdapterDeps {
  payloads: OidcPayloadsRepository;
  clients: OidcClientsRepository;
  /** Client secrets are stored encrypted; the library compares the presented one with the decrypted value. */
  secrets: DataCipher;
  clock: Clock;
  redis?: Redis;
  keyPrefix: string;
}

/** The library's metadata for a registered application: code flow with PKCE, refresh tokens, and a secret unless public. */
function clientMetadata(client: OidcClientRecord, secrets: DataCipher): Record<string, unknown> {
  return {
    client_id: client.clientId,
    client_name: client.name,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    // The library accepts a native app's own scheme only from an application of type native.
    application_type: [...client.redirectUris, ...client.postLogoutRedirectUris].some(usesPrivateScheme) ? 'native' : 'web',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    ...(client.public || !client.secretCiphertext
      ? { token_endpoint_auth_method: 'none' }
      : { token_endpoint_auth_method: 'client_secret_basic', client_secret: secrets.decrypt(client.secretCiphertext) }),
  };
}

function sqlAdapter(model: string, deps: AdapterDeps): ProviderAdapter {
  const { payloads, clock } = deps;
  const now = () => clock.now();
  return {
    upsert: (id, payload, expiresIn) => payloads.upsert(model, id, payload, expiresIn ? new Date(now().getTime() + expiresIn * 1000) : null, now()),
    find: (id) => payloads.find(model, id, now()),
    findByUid: (uid) => payloads.findByUid(model, uid, now()),
    // The device flow is not offered: no record has a user code.
    findByUserCode: async () => undefined,
    consume: (id) => payloads.consume(model, id, now()),
    destroy: (id) => payloads.destroy(model, id),
    revokeByGrantId: (grantId) => payloads.revokeByGrantId(grantId),
  };
}

/** Registered applications are read from their own table; nothing registers them through the library. */
function clientAdapter(deps: AdapterDeps): ProviderAdapter {
  const refuse = () => Promise.reject(new Error('applications are registered by the operator command apps:create'));
  return {
    async find(id) {
      const client = await deps.clients.find(id);
      return client && (clientMetadata(client, deps.secrets) as OidcPayload);
    },
    upsert: refuse,
    findByUid: async () => undefined,
    findByUserCode: async () => undefined,
    consume: refuse,
    destroy: refuse,
    revokeByGrantId: async () => undefined,
  };
}

/**
 * Short-lived records in Redis: one key each with the record's lifetime, and a set per
 * grant naming its keys (so that a reused code can take the grant's other codes with it).
 * Every command names one key, so a cluster serves it as well as one server.
 */
function redisAdapter(model: string, redis: Redis, prefix: string): ProviderAdapter {
  const key = (id: string) => `${prefix}oidc:${model}:${id}`;
  const uidKey = (uid: string) => `${prefix}oidc:${model}:uid:${uid}`;
  const grantKey = (grantId: string) => `${prefix}oidc:grant:${grantId}`;
  const read = async (id: string) => {
    const value = await redis.get(key(id));
    return value ? (JSON.parse(value) as OidcPayload) : undefined;
  };
  return {
    async upsert(id, payload, expiresIn) {
      const ttl = Math.max(1, Math.ceil(expiresIn ?? 600)) * 1000;
      await redis.set(key(id), JSON.stringify(payload), { expiration: { type: 'PX', value: ttl } });
      if (payload.uid) await redis.set(uidKey(payload.uid), id, { expiration: { type: 'PX', value: ttl } });
      if (payload.grantId) {
        await redis.sAdd(grantKey(payload.grantId), key(id));
        await redis.pExpire(grantKey(payload.grantId), ttl);
      }
    },
    find: read,
    async findByUid(uid) {
      const id = await redis.get(uidKey(uid));
      return id ? read(id) : undefined;
    },
    findByUserCode: async () => undefined,
    async consume(id) {
      const payload = await read(id);
      if (payload) await redis.set(key(id), JSON.stringify({ ...payload, consumed: Math.floor(Date.now() / 1000) }), { condition: 'XX', expiration: 'KEEPTTL' });
    },
    async destroy(id) {
      await redis.del(key(id));
    },
    async revokeByGrantId(grantId) {
      for (const member of await redis.sMembers(grantKey(grantId))) await redis.del(member);
      await redis.del(grantKey(grantId));
    },
  };
}

/**
 * The adapter class oidc-provider is configured with: the library constructs it with a
 * model's name. Registered applications come from oidc_clients; short-lived records go to
 * Redis when it is configured; everything else (grants, refresh and access tokens,
 * provider sessions) to the database, where a lock or deletion of the account reaches it.
 */
export function providerAdapterClass(deps: AdapterDeps) {
  return class Adapter implements ProviderAdapter {
    private readonly store: ProviderAdapter;

    constructor(model: string) {
      if (model === 'Client') this.store = clientAdapter(deps);
      else if (deps.redis && SHORT_LIVED.has(model)) {
        const redis = deps.redis;
        const redisStore = redisAdapter(model, redis, deps.keyPrefix);
        const sqlStore = sqlAdapter(model, deps);
        // A grant revoked must lose its records in both places.
        this.store = { ...redisStore, revokeByGrantId: async (grantId) => Promise.all([redisStore.revokeByGrantId(grantId), sqlStore.revokeByGrantId(grantId)]).then(() => undefined) };
      } else this.store = sqlAdapter(model, deps);
    }

    upsert(id: string, payload: OidcPayload, expiresIn?: number) {
      return this.store.upsert(id, payload, expiresIn);
    }
    // Ids arrive from clients (a code, a token, a client_id): one no record can have is looked up nowhere.
    find(id: string) {
      return plausibleId(id) ? this.store.find(id) : Promise.resolve(undefined);
    }
    findByUid(uid: string) {
      return plausibleId(uid) ? this.store.findByUid(uid) : Promise.resolve(undefined);
    }
    findByUserCode(userCode: string) {
      return this.store.findByUserCode(userCode);
    }
    consume(id: string) {
      return this.store.consume(id);
    }
    destroy(id: string) {
      return this.store.destroy(id);
    }
    revokeByGrantId(grantId: string) {
      return this.store.revokeByGrantId(grantId);
    }
  };
}
