import crypto from 'node:crypto';
import type { Db } from './db';
import type { Redis } from './redis';

/**
 * "Take this once": a value (a WebAuthn challenge) that any number of requests, in any
 * number of processes, may present, but only the first may use. Kept in Redis, or in the
 * database when Redis is not configured, like sessions and rate limits.
 */
export interface SingleUseClaims {
  /** True for the first caller to claim `key`; false for everyone after, until `ttlMs` has passed. */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

/** Expired claims are deleted at most this often (per process), by whichever claim comes next. */
const SWEEP_EVERY_MS = 60_000;

const digest = (key: string) => crypto.createHash('sha256').update(key).digest('base64url');

/** SET NX PX: Redis answers OK only to the first. */
function redisClaims(redis: Redis, prefix: string): SingleUseClaims {
  return {
    async claim(key, ttlMs) {
      return (await redis.set(`${prefix}once:${digest(key)}`, '1', { condition: 'NX', expiration: { type: 'PX', value: ttlMs } })) === 'OK';
    },
  };
}

/**
 * One INSERT: a new key, or an expired one taken over, returns its row; a live one held
 * by another claim returns nothing. Expiry uses the database's clock, which every
 * process shares.
 */
function sqlClaims(db: Db): SingleUseClaims {
  let lastSweep = 0;
  const sweep = async () => {
    if (Date.now() - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = Date.now();
    await db('single_use_claims').where('expires_at', '<', db.fn.now()).del();
  };
  return {
    async claim(key, ttlMs) {
      await sweep();
      const rows = await db('single_use_claims')
        .insert({ key: digest(key), expires_at: db.raw(`now() + ? * interval '1 millisecond'`, [ttlMs]) })
        .onConflict('key')
        .merge(['expires_at'])
        .where('single_use_claims.expires_at', '<=', db.fn.now())
        .returning('key');
      return rows.length === 1;
    },
  };
}

export function createSingleUseClaims(backend: { redis?: Redis; db: Db; keyPrefix: string }): SingleUseClaims {
  return backend.redis ? redisClaims(backend.redis, backend.keyPrefix) : sqlClaims(backend.db);
}
