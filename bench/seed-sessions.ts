/**
 * Fills Redis with sessions in the service's own format (through RedisSessionStore.set),
 * run as its own process by bench/sessions.ts so that the measuring process never
 * carries the seeding's garbage. Arguments: <redis url> <key prefix> <sessions> <users> <first user number>.
 */
import crypto from 'node:crypto';
import type { SessionData } from 'express-session';
import { createLogger } from '../src/infra/logger';
import { connectRedis, createRedis } from '../src/infra/redis';
import { RedisSessionStore } from '../src/infra/session-store/redis-session-store';
import { createSessionCodec } from '../src/infra/session-store/session-codec';
import { newSessionId, userTag } from '../src/infra/session-store/session-ids';
import { parseUserAgent } from '../src/infra/user-agent';
import { cookieOptions } from '../src/http/cookies';

export const BENCH_USER_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** A signed-in session as the service writes it. */
export function sessionData(userId: string, now: number): SessionData {
  return {
    cookie: { originalMaxAge: 30 * 60_000, expires: new Date(now + 30 * 60_000), httpOnly: true, path: '/', sameSite: 'lax', secure: false },
    csrfToken: crypto.randomBytes(32).toString('hex'),
    userId,
    createdAt: now,
    lastSeenAt: now,
    lastAuthAt: now,
    elevatedUntil: now + 10 * 60_000,
    authMethod: 'password',
    ip: `198.51.${(now >> 8) & 255}.${now & 255}`,
    device: parseUserAgent(BENCH_USER_AGENT),
  } as SessionData;
}

/** Seeding writes in large batches: generous timeouts, unlike a request's. */
export const BULK_TIMEOUTS = { connectMs: 30_000, commandMs: 120_000 };

/** The session secret of the benchmark's service and of the seeded sessions (their ids' user tags derive from it). */
export const BENCH_SESSION_SECRET = 'bench-session-secret-at-least-32-characters';

/** A signed-in session id as the service makes them: 192 random bits after the user's tag. */
export const newSid = (userId: string) => newSessionId(userTag(BENCH_SESSION_SECRET, userId));

/** User ids are UUIDs, as the database makes them: their length counts in the record. */
const benchUserId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

async function main(): Promise<void> {
  const [url, prefix, count, users, first] = process.argv.slice(2);
  const logger = createLogger('silent');
  const redis = createRedis(url as string, logger, BULK_TIMEOUTS);
  await connectRedis(redis, logger, BULK_TIMEOUTS.connectMs);
  const store = new RedisSessionStore(redis, prefix as string, 60_000, BENCH_SESSION_SECRET, createSessionCodec(cookieOptions({ secure: false })));
  const total = Number(count);
  const now = Date.now();
  for (let start = 0; start < total; start += 2000) {
    const work: Array<Promise<void>> = [];
    for (let i = start; i < Math.min(total, start + 2000); i++) {
      const userId = benchUserId(Number(first) + (i % Number(users)));
      work.push(store.set(newSid(userId), sessionData(userId, now)));
    }
    await Promise.all(work);
    if (start % 100_000 === 0 && start > 0) process.stdout.write(`  seeded ${start.toLocaleString('en')} sessions\n`);
  }
  await redis.close();
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
