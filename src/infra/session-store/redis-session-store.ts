import { RedisStore } from 'connect-redis';
import type { SessionData } from 'express-session';
import { pingRedis, type Redis } from '../redis';
import { createSessionCodec, type SessionCodec } from './session-codec';
import { sessionIdTag, userTag } from './session-ids';
import { sessionHandle, storeExpiry, type EndReason, type SessionRecord } from './session-data';
import type { SessionRegistry } from './session-registry';

type Callback = (err?: unknown) => void;

/**
 * connect-redis plus a per-user index: a sorted set of session ids scored by expiry.
 * Listing and revoking read only that set (never SCAN or KEYS over all sessions);
 * entries past their score are pruned whenever the set is written or read.
 * Touch is disabled: the session-activity middleware saves at most once a minute.
 *
 * Key layout, which works on one server and on a Redis Cluster alike: a signed-in
 * session's id starts with its user's hash tag (session-ids.ts), and so do the index
 * (`user-sess:{tag}<user id>`) and the record of why a session ended
 * (`ended:{tag}<handle>`): each MULTI below touches one user's keys, all in one slot.
 * Sessions signed in before ids carried tags are indexed as they were, under
 * `user-sess:<user id>`; both indexes are read until the last of those sessions expires.
 */
export class RedisSessionStore extends RedisStore implements SessionRegistry {
  private readonly redis: Redis;
  private readonly indexPrefix: string;
  private readonly endedPrefix: string;

  /**
   * `endedTtlMs`: how long the reason a session ended is kept (as long as its cookie can
   * come back); `tagSecret`: the session secret, which user tags are derived under;
   * `codec`: the record format, for connect-redis's reads as for this class's own.
   */
  constructor(
    redis: Redis,
    keyPrefix: string,
    private readonly endedTtlMs: number,
    private readonly tagSecret: string,
    private readonly codec: SessionCodec = createSessionCodec(),
  ) {
    super({ client: redis, prefix: `${keyPrefix}sess:`, disableTouch: true, serializer: codec });
    this.redis = redis;
    this.indexPrefix = `${keyPrefix}user-sess:`;
    this.endedPrefix = `${keyPrefix}ended:`;
  }

  /** The index a session id belongs in: its tag's, or the untagged one of older ids. */
  private indexKey(userId: string, sid: string): string {
    return this.indexPrefix + sessionIdTag(sid) + userId;
  }

  /** Both of a user's indexes: tagged sessions, and those signed in before ids had tags. */
  private indexesOf(userId: string): string[] {
    return [`${this.indexPrefix}{${userTag(this.tagSecret, userId)}}${userId}`, this.indexPrefix + userId];
  }

  private endedKey(sid: string): string {
    return this.endedPrefix + sessionIdTag(sid) + sessionHandle(sid);
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
          const index = this.indexKey(data.userId, sid);
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
    const lists = await Promise.all(this.indexesOf(userId).map((index) => this.listIndex(index, userId)));
    return lists.flat().sort((a, b) => b.expiresAt.getTime() - a.expiresAt.getTime());
  }

  async countByUser(userId: string): Promise<number> {
    const now = Date.now();
    const counts = await Promise.all(this.indexesOf(userId).map((index) => this.redis.zCount(index, now, '+inf')));
    return counts.reduce((a, b) => a + b, 0);
  }

  private async listIndex(index: string, userId: string): Promise<SessionRecord[]> {
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
    return records;
  }

  /** Every session id in the user's indexes, expired or not, each with its index. */
  private async indexedSessions(userId: string): Promise<Array<{ index: string; sids: string[] }>> {
    return Promise.all(this.indexesOf(userId).map(async (index) => ({ index, sids: await this.redis.zRange(index, 0, -1) })));
  }

  /** Deletes sessions of one index and their entries in it, and records why they ended. */
  private async end(index: string, sids: string[], reason?: EndReason): Promise<number> {
    if (sids.length === 0) return 0;
    const multi = this.redis
      .multi()
      .del(sids.map((sid) => this.prefix + sid))
      .zRem(index, sids);
    if (reason) for (const sid of sids) multi.set(this.endedKey(sid), reason, { expiration: { type: 'PX', value: this.endedTtlMs } });
    const [deleted] = (await multi.exec()) as unknown as [number];
    return deleted;
  }

  /** Any entry of the user's indexes counts, expired or not: it was theirs. */
  async destroyByHandle(userId: string, handle: string, reason?: EndReason): Promise<boolean> {
    for (const { index, sids } of await this.indexedSessions(userId)) {
      const sid = sids.find((candidate) => sessionHandle(candidate) === handle);
      if (sid) {
        await this.end(index, [sid], reason);
        return true;
      }
    }
    return false;
  }

  async destroyAllForUser(userId: string, exceptSid?: string, reason?: EndReason): Promise<number> {
    const ended = await Promise.all(
      (await this.indexedSessions(userId)).map(({ index, sids }) =>
        this.end(
          index,
          sids.filter((sid) => sid !== exceptSid),
          reason,
        ),
      ),
    );
    return ended.reduce((sum, count) => sum + count, 0);
  }

  async takeEndReason(sid: string): Promise<EndReason | undefined> {
    return ((await this.redis.getDel(this.endedKey(sid))) ?? undefined) as EndReason | undefined;
  }

  /** Redis expires session keys itself; index entries are pruned as they are touched. */
  sweepExpired(): Promise<number> {
    return Promise.resolve(0);
  }

  async ping(): Promise<void> {
    await pingRedis(this.redis);
  }
}
