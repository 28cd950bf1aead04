import { RedisStore } from 'connect-redis';
import type { SessionData } from 'express-session';
import type { Redis } from '../redis';
import { createSessionCodec, type SessionCodec } from './session-codec';
import { sessionHandle, storeExpiry, type EndReason, type SessionRecord } from './session-data';
import type { SessionRegistry } from './session-registry';

type Callback = (err?: unknown) => void;

/**
 * connect-redis plus a per-user index: a sorted set of session ids scored by expiry.
 * Listing and revoking read only that set (never SCAN or KEYS over all sessions);
 * entries past their score are pruned whenever the set is written or read.
 * Touch is disabled: the session-activity middleware saves at most once a minute.
 */
export class RedisSessionStore extends RedisStore implements SessionRegistry {
  private readonly redis: Redis;
  private readonly indexPrefix: string;
  private readonly endedPrefix: string;

  /**
   * `endedTtlMs`: how long the reason a session ended is kept (as long as its cookie can come back).
   * `codec`: the record format, for connect-redis's reads as for this class's own.
   */
  constructor(
    redis: Redis,
    keyPrefix: string,
    private readonly endedTtlMs: number,
    private readonly codec: SessionCodec = createSessionCodec(),
  ) {
    super({ client: redis, prefix: `${keyPrefix}sess:`, disableTouch: true, serializer: codec });
    this.redis = redis;
    this.indexPrefix = `${keyPrefix}user-sess:`;
    this.endedPrefix = `${keyPrefix}ended:`;
  }

  private indexKey(userId: string): string {
    return this.indexPrefix + userId;
  }

  // connect-redis declares set() async; express-session only uses the callback.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  override async set(sid: string, data: SessionData, callback?: Callback): Promise<void> {
    const now = Date.now();
    const expiresAt = storeExpiry(data, now);
    const ttlSeconds = Math.ceil((expiresAt - now) / 1000);
    try {
      if (ttlSeconds <= 0) {
        await this.destroySession(sid);
      } else {
        const multi = this.redis.multi().set(this.prefix + sid, this.codec.stringify(data), { expiration: { type: 'EX', value: ttlSeconds } });
        if (data.userId) {
          const index = this.indexKey(data.userId);
          multi
            .zAdd(index, { score: expiresAt, value: sid })
            .zRemRangeByScore(index, '-inf', now)
            .expire(index, ttlSeconds, 'NX')
            .expire(index, ttlSeconds, 'GT');
        }
        await multi.exec();
      }
      callback?.();
    } catch (err) {
      callback?.(err);
    }
  }

  async destroySession(sid: string): Promise<void> {
    await this.redis.del(this.prefix + sid);
  }

  async listByUser(userId: string): Promise<SessionRecord[]> {
    const index = this.indexKey(userId);
    const sids = await this.redis.zRangeByScore(index, Date.now(), '+inf');
    if (sids.length === 0) return [];
    const values = await this.redis.mGet(sids.map((sid) => this.prefix + sid));
    const records: SessionRecord[] = [];
    const gone: string[] = [];
    values.forEach((raw, i) => {
      const sid = sids[i] as string;
      const data = raw ? this.codec.parse(raw) : undefined;
      if (!data || data.userId !== userId) {
        gone.push(sid);
        return;
      }
      records.push({ id: sessionHandle(sid), userId, data, expiresAt: new Date(storeExpiry(data)) });
    });
    const multi = this.redis.multi().zRemRangeByScore(index, '-inf', Date.now());
    if (gone.length > 0) multi.zRem(index, gone);
    await multi.exec();
    return records.sort((a, b) => b.expiresAt.getTime() - a.expiresAt.getTime());
  }

  /** Deletes sessions and their index entries, and records why they ended. */
  private async end(userId: string, sids: string[], reason?: EndReason): Promise<number> {
    if (sids.length === 0) return 0;
    const multi = this.redis
      .multi()
      .del(sids.map((sid) => this.prefix + sid))
      .zRem(this.indexKey(userId), sids);
    if (reason) for (const sid of sids) multi.set(this.endedPrefix + sessionHandle(sid), reason, { expiration: { type: 'PX', value: this.endedTtlMs } });
    const [deleted] = (await multi.exec()) as unknown as [number];
    return deleted;
  }

  /** Any entry of the user's index counts, expired or not: it was theirs. */
  async destroyByHandle(userId: string, handle: string, reason?: EndReason): Promise<boolean> {
    const sid = (await this.redis.zRange(this.indexKey(userId), 0, -1)).find((candidate) => sessionHandle(candidate) === handle);
    if (!sid) return false;
    await this.end(userId, [sid], reason);
    return true;
  }

  async destroyAllForUser(userId: string, exceptSid?: string, reason?: EndReason): Promise<number> {
    const sids = (await this.redis.zRange(this.indexKey(userId), 0, -1)).filter((sid) => sid !== exceptSid);
    return this.end(userId, sids, reason);
  }

  async takeEndReason(sid: string): Promise<EndReason | undefined> {
    return ((await this.redis.getDel(this.endedPrefix + sessionHandle(sid))) ?? undefined) as EndReason | undefined;
  }

  /** Redis expires session keys itself; index entries are pruned as they are touched. */
  sweepExpired(): Promise<number> {
    return Promise.resolve(0);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }
}
