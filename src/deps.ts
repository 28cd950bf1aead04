import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config';
import { systemClock, type Clock } from './infra/clock';
import { createDb, migrateLatest, pingDb, type Db } from './infra/db';
import { createCatalogues, type Catalogues } from './infra/i18n';
import { embeddedDirFor } from './infra/knex-config';
import { createLogger, type Logger } from './infra/logger';
import { createLimiterFactory, type LimiterFactory } from './infra/rate-limit';
import { connectRedis, createRedis, type Redis } from './infra/redis';
import { RedisSessionStore } from './infra/session-store/redis-session-store';
import type { SessionRegistry } from './infra/session-store/session-registry';
import { SqlSessionStore } from './infra/session-store/sql-session-store';
import { loadBreachedPasswords, type BreachedPasswords } from './features/password/breached-passwords';
import type { ReadinessCheck } from './features/health/health.routes';

/** The back-ends and shared parts the application is built from; tests build them too. */
export interface Deps {
  config: Config;
  logger: Logger;
  clock: Clock;
  db: Db;
  redis?: Redis;
  sessions: SessionRegistry;
  limiters: LimiterFactory;
  catalogues: Catalogues;
  breached: BreachedPasswords;
  readiness: ReadinessCheck[];
}

export interface DepsOptions {
  clock?: Clock;
  logger?: Logger;
  /** Use a throw-away in-memory embedded database (tests). */
  embeddedInMemory?: boolean;
  /** Skip migrations (the caller has run them). */
  skipMigrations?: boolean;
  breached?: BreachedPasswords;
}

export async function createDeps(config: Config, options: DepsOptions = {}): Promise<Deps> {
  const logger = options.logger ?? createLogger(config.logLevel);
  if (!config.databaseUrl && !options.embeddedInMemory) fs.mkdirSync(path.resolve(config.dataDir), { recursive: true });
  const db = createDb({
    databaseUrl: config.databaseUrl,
    embeddedDir: options.embeddedInMemory ? 'memory' : embeddedDirFor(config.dataDir),
    log: { warn: (message) => logger.warn({ message }, 'database'), error: (message) => logger.error({ message }, 'database') },
  });
  if (!options.skipMigrations) {
    const applied = await migrateLatest(db);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  }
  const redis = config.redisUrl ? createRedis(config.redisUrl, logger) : undefined;
  if (redis) void connectRedis(redis, logger);
  const sessions: SessionRegistry = redis ? new RedisSessionStore(redis, config.redisKeyPrefix) : new SqlSessionStore(db);
  const readiness: ReadinessCheck[] = [{ name: 'database', check: () => pingDb(db) }];
  if (redis) readiness.push({ name: 'redis', check: async () => void (await redis.ping()) });
  return {
    config,
    logger,
    clock: options.clock ?? systemClock,
    db,
    redis,
    sessions,
    limiters: createLimiterFactory({ redis, db, keyPrefix: config.redisKeyPrefix }),
    catalogues: createCatalogues((locale, key) => logger.warn({ locale, key }, 'missing translation')),
    breached: options.breached ?? loadBreachedPasswords(config.passwordMinLength),
    readiness,
  };
}

/** Closes pools and connections (graceful shutdown, end of a test file). */
export async function closeDeps(deps: Deps): Promise<void> {
  if (deps.redis?.isReady) await deps.redis.close().catch(() => deps.redis?.destroy());
  else if (deps.redis?.isOpen) deps.redis.destroy();
  await deps.db.destroy();
}
