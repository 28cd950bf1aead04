import crypto from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimitedError } from './errors';
import type { Db } from './db';
import type { Redis } from './redis';

export interface LimitSpec {
  /** A short, unique name: the key prefix in the store. */
  name: string;
  /** Attempts allowed per window. */
  points: number;
  windowSeconds: number;
  /** How long a key stays blocked once it has used its points (defaults to the window). */
  blockSeconds?: number;
  /** Counted per client address: the key given is an address, and is counted by its addressKey. */
  per?: 'address';
}

/**
 * What a limit counts when it counts a client address: an IPv4 address as it is (an
 * IPv4-mapped IPv6 address counts as that IPv4 address), an IPv6 address by its /64
 * network, because one IPv6 host is commonly given a whole /64 and can use any address in it.
 */
export function addressKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  const network = (address as ipaddr.IPv6).parts.slice(0, 4).concat([0, 0, 0, 0]);
  return `${new ipaddr.IPv6(network).toRFC5952String()}/64`;
}

/**
 * A counter in the shared store (Redis, or the database when Redis is not configured),
 * so that limits hold across processes. Being over the limit is a RateLimitedError;
 * a store failure is passed on as is (and becomes a 503).
 */
export interface LimitState {
  remaining: number;
  resetSeconds: number;
}

export interface Limiter {
  readonly spec: LimitSpec;
  /** Counts one attempt; throws RateLimitedError when that is one too many. */
  consume(key: string): Promise<LimitState>;
  /** Throws RateLimitedError when the key is already over its limit, without counting. */
  check(key: string): Promise<void>;
  /** Gives back one attempt that `consume` counted (its outcome did not count against the limit). */
  refund(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}

export type LimiterFactory = (spec: LimitSpec) => Limiter;

function retryAfter(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/** Keys may hold addresses or IPs: stored only as digests, and of a fixed length. */
function digestOf(key: string): string {
  return crypto.createHash('sha256').update(key).digest('base64url').slice(0, 22);
}

function wrap(spec: LimitSpec, limiter: RateLimiterAbstract): Limiter {
  const digest = spec.per === 'address' ? (key: string) => digestOf(addressKey(key)) : digestOf;
  return {
    spec,
    async consume(key) {
      try {
        const res = await limiter.consume(digest(key));
        return { remaining: res.remainingPoints, resetSeconds: Math.ceil(res.msBeforeNext / 1000) };
      } catch (err) {
        if (err instanceof RateLimiterRes) {
          const limited = new RateLimitedError(retryAfter(err));
          limited.limit = { points: spec.points, windowSeconds: spec.windowSeconds };
          throw limited;
        }
        throw err;
      }
    },
    async check(key) {
      const res = await limiter.get(digest(key));
      if (res && res.consumedPoints >= spec.points && res.msBeforeNext > 0) throw new RateLimitedError(retryAfter(res));
    },
    async refund(key) {
      await limiter.reward(digest(key), 1);
    },
    async reset(key) {
      await limiter.delete(digest(key));
    },
  };
}

/**
 * rate-limiter-flexible's Postgres limiter speaks node-postgres' `query({ text, values })`;
 * this adapter runs those statements through knex so that they share its pool (the
 * embedded database has exactly one connection).
 */
function knexQueryClient(db: Db) {
  return {
    async query(q: { text: string; values?: unknown[] }) {
      const bindings: Record<string, unknown> = {};
      (q.values ?? []).forEach((value, i) => {
        bindings[`p${i + 1}`] = value;
      });
      const sql = q.text.replace(/\$(\d+)/g, (_, n: string) => `:p${n}`);
      const result = (await db.raw(sql, bindings as Record<string, never>)) as { rows?: unknown[]; rowCount?: number | null };
      const rows = result.rows ?? [];
      return { rows, rowCount: Math.max(rows.length, result.rowCount ?? 0) };
    },
  };
}

export function createLimiterFactory(backend: { redis?: Redis; db: Db; keyPrefix: string }): LimiterFactory {
  return (spec) => {
    const common = {
      keyPrefix: `${backend.keyPrefix}rl:${spec.name}`,
      points: spec.points,
      duration: spec.windowSeconds,
      blockDuration: spec.blockSeconds ?? spec.windowSeconds,
    };
    const limiter: RateLimiterAbstract = backend.redis
      ? new RateLimiterRedis({ ...common, storeClient: backend.redis, useRedisPackage: true })
      : new RateLimiterPostgres({ ...common, storeClient: knexQueryClient(backend.db), storeType: 'client', tableName: 'rate_limits', tableCreated: true, clearExpiredByTimeout: true });
    return wrap(spec, limiter);
  };
}
