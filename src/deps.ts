import type { PGlite } from '@electric-sql/pglite';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from './config';
import { GeoIpDatabaseError, openPlaces, type Places } from './infra/geoip';
import { systemClock, type Clock } from './infra/clock';
import { createDb, migrateLatest, pingDb, withMigrationConnection, type Db } from './infra/db';
import { createDataCipher } from './infra/crypto/data-cipher';
import { createCatalogues, type Catalogues } from './infra/i18n';
import { createLinks, type Links } from './http/links';
import { cookieOptions } from './http/cookies';
import { createMailQueue, type MailQueue } from './infra/mailer/mail-queue';
import { createMailRenderer } from './infra/mailer/mail-renderer';
import { createMailTransport, type MailTransport } from './infra/mailer/mail-transport';
import { createOutboxRepository } from './infra/mailer/outbox.repository';
import { createOutboxWorker, type OutboxWorker } from './infra/mailer/outbox-worker';
import { embeddedDirFor } from './infra/knex-config';
import { createLogger, type Logger } from './infra/logger';
import { createBackground, type Background } from './infra/background';
import { createLimiterFactory, type LimiterFactory } from './infra/rate-limit';
import { connectRedis, createRedisFor, pingRedis, type Redis } from './infra/redis';
import { createSingleUseClaims, type SingleUseClaims } from './infra/single-use-claims';
import { RedisSessionStore } from './infra/session-store/redis-session-store';
import { createSessionCodec } from './infra/session-store/session-codec';
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
  /** Values that only one request may ever use (WebAuthn challenges). */
  claims: SingleUseClaims;
  catalogues: Catalogues;
  breached: BreachedPasswords;
  readiness: ReadinessCheck[];
  links: Links;
  mail: { queue: MailQueue; worker: OutboxWorker; transport: MailTransport };
  background: Background;
  /** Approximate places of addresses (GEOIP_DB), or none. */
  places: Places;
}

export interface DepsOptions {
  clock?: Clock;
  logger?: Logger;
  /** Use a throw-away in-memory embedded database (tests): a fresh one, or one already open. */
  embeddedInMemory?: boolean | PGlite;
  /** Skip migrations (the caller has run them). */
  skipMigrations?: boolean;
  breached?: BreachedPasswords;
}

export async function createDeps(config: Config, options: DepsOptions = {}): Promise<Deps> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const places = placesOf(config);
  if (!config.databaseUrl && !options.embeddedInMemory) fs.mkdirSync(path.resolve(config.dataDir), { recursive: true });
  const log = { warn: (message: unknown) => logger.warn({ message }, 'database'), error: (message: unknown) => logger.error({ message }, 'database') };
  const { timeouts } = config;
  const db = createDb({
    databaseUrl: config.databaseUrl,
    embeddedDir: options.embeddedInMemory === true ? 'memory' : options.embeddedInMemory || embeddedDirFor(config.dataDir),
    log,
    timeouts: { connectMs: timeouts.databaseConnectMs, statementMs: timeouts.databaseStatementMs, acquireMs: timeouts.databaseAcquireMs },
  });
  if (!options.skipMigrations) {
    const applied = await withMigrationConnection(db, { databaseUrl: config.databaseUrl, log }, migrateLatest);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  }
  const redis = config.redis ? createRedisFor(config.redis, logger, { connectMs: timeouts.redisConnectMs, commandMs: timeouts.redisCommandMs }) : undefined;
  if (redis) await connectRedis(redis, logger, timeouts.redisConnectMs);
  // A session's end is explained for as long as its cookie can still come back.
  const endedTtlMs = config.sessionIdleMs + 60_000;
  const sessions: SessionRegistry = redis ? new RedisSessionStore(redis, config.redisKeyPrefix, endedTtlMs, config.sessionSecret, createSessionCodec(cookieOptions(config))) : new SqlSessionStore(db, endedTtlMs);
  const readiness: ReadinessCheck[] = [{ name: 'database', check: () => pingDb(db) }];
  if (redis) readiness.push({ name: 'redis', check: () => pingRedis(redis) });
  const clock = options.clock ?? systemClock;
  const catalogues = createCatalogues((locale, key) => logger.warn({ locale, key }, 'missing translation'));
  const mailCipher = createDataCipher(config.dataKey, 'mail-outbox');
  const transport = createMailTransport({
    kind: config.mailTransport,
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    dataDir: config.dataDir,
    logger,
    logLinks: config.env !== 'production',
  });
  const worker = createOutboxWorker({
    outbox: createOutboxRepository(db),
    renderer: createMailRenderer({ catalogues, productName: config.productName, baseUrl: config.baseUrl, cache: config.env === 'production' }),
    transport,
    cipher: mailCipher,
    clock,
    logger,
  });
  return {
    config,
    logger,
    clock,
    db,
    redis,
    sessions,
    limiters: createLimiterFactory({ redis, db, keyPrefix: config.redisKeyPrefix }),
    claims: createSingleUseClaims({ redis, db, keyPrefix: config.redisKeyPrefix }),
    catalogues,
    breached: options.breached ?? loadBreachedPasswords(config.passwordMinLength),
    readiness,
    links: createLinks(config.baseUrl),
    mail: { queue: createMailQueue({ cipher: mailCipher, clock }), worker, transport },
    background: createBackground(logger),
    places,
  };
}

/** Opened before anything else, so that a file that is no MaxMind database stops the start with one line. */
function placesOf(config: Config): Places {
  try {
    return openPlaces(config.geoipDb);
  } catch (err) {
    if (err instanceof GeoIpDatabaseError) throw new ConfigError([`GEOIP_DB: ${err.message}`]);
    throw err;
  }
}

/** Closes pools and connections (graceful shutdown, end of a test file). */
export async function closeDeps(deps: Deps): Promise<void> {
  await deps.background.drain();
  await deps.mail.worker.stop();
  deps.mail.transport.close();
  if (deps.redis?.isReady) await deps.redis.close().catch(() => deps.redis?.destroy());
  else if (deps.redis?.isOpen) deps.redis.destroy();
  await deps.db.destroy();
}
