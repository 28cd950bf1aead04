import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import knexFactory from 'knex';
import { createApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { closeDeps, createDeps, type Deps } from '../../src/deps';
import type { Redis } from '../../src/infra/redis';
import type { createClient, createCluster } from 'redis';
import { createSettableClock, type SettableClock } from '../../src/infra/clock';
import type { Logger } from '../../src/infra/logger';
import { migratedEmbeddedDatabase } from './embedded-template';
import { MailCatcher } from './mail-catcher';
import { loadBreachedPasswords, type BreachedPasswords } from '../../src/features/password/breached-passwords';
import type { Services } from '../../src/composition-root';
import type { Repositories } from '../../src/repositories';

export type Backend = 'embedded' | 'real';

/** A logger to watch what the app logs; `mail` starts an SMTP server for it to send to. */
export interface StartOptions {
  logger?: Logger;
  mail?: boolean;
}

export const backend: Backend = process.env.TEST_BACKEND === 'real' ? 'real' : 'embedded';

export interface TestApp {
  app: Express;
  /** The SMTP server the app sends to, when started with `{ mail: true }`. */
  mail: MailCatcher;
  /** Delivers the queued mail now, as the background worker would within seconds. */
  deliverMail(): Promise<number>;
  deps: Deps;
  services: Services;
  repos: Repositories;
  config: Config;
  clock: SettableClock;
  close(): Promise<void>;
}

let breached: BreachedPasswords | undefined;

/** A throw-away database on the PostgreSQL server named by TEST_DATABASE_URL. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL as string;
  const name = `atrium_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`create database ${name}`);
  await admin.destroy();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async drop() {
      const cleaner = knexFactory({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
      await cleaner.raw(`drop database if exists ${name} with (force)`);
      await cleaner.destroy();
    },
  };
}

/**
 * The real application on the back-ends this test project runs against: an in-memory
 * embedded database, or a fresh database on PostgreSQL plus Redis under its own key
 * prefix. The clock is settable; everything else is what production runs.
 */
export async function startTestApp(env: Record<string, string> = {}, options: StartOptions = {}): Promise<TestApp> {
  const mail = new MailCatcher();
  if (options.mail) env = { SMTP_URL: `smtp://127.0.0.1:${await mail.start()}`, ...env };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-test-'));
  const settings: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    BCRYPT_COST: '4',
    BASE_URL: 'http://localhost:3000',
    DATA_DIR: dataDir,
    ...env,
  };
  let database: { url: string; drop(): Promise<void> } | undefined;
  if (backend === 'real') {
    database = await createTestDatabase();
    settings.DATABASE_URL = database.url;
    // A test that names a cluster or sentinels uses them instead of the one server.
    if (!env.REDIS_CLUSTER_NODES && !env.REDIS_SENTINELS) settings.REDIS_URL = env.REDIS_URL ?? (process.env.TEST_REDIS_URL as string);
    settings.REDIS_KEY_PREFIX = `t${crypto.randomBytes(4).toString('hex')}:`;
  }
  const config = loadConfig(settings);
  const clock = createSettableClock();
  breached ??= loadBreachedPasswords(config.passwordMinLength);
  const deps = await createDeps(config, { clock, embeddedInMemory: backend === 'embedded' && (await migratedEmbeddedDatabase()), breached, logger: options.logger });
  const { app, services, repos } = createApp(deps);
  return {
    app,
    mail,
    deps,
    services,
    repos,
    config,
    clock,
    async deliverMail() {
      await deps.background.drain();
      let total = 0;
      for (let sent = await deps.mail.worker.runOnce(); sent > 0; sent = await deps.mail.worker.runOnce()) total += sent;
      return total;
    },
    async close() {
      if (deps.redis?.isReady) await deleteRedisKeys(deps.redis, config.redisKeyPrefix);
      await closeDeps(deps);
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (options.mail) await mail.stop();
    },
  };
}

/**
 * The app of a test file or describe block: started in a beforeAll and closed in an afterAll
 * registered where this is called. The returned object reads through to the started app,
 * so use it inside tests and hooks only; hooks registered after this call see it started.
 */
export function describeApp(env: Record<string, string> = {}, options: StartOptions = {}): TestApp {
  let started: TestApp | undefined;
  beforeAll(async () => {
    started = await startTestApp(env, options);
  });
  const stop = async () => {
    const app = started;
    started = undefined;
    await app?.close();
  };
  afterAll(stop);
  const current = (): TestApp => {
    if (!started) throw new Error('describeApp(): the app runs only between its beforeAll and afterAll; use it inside tests and hooks, not at the top level of a file or describe block');
    return started;
  };
  return {
    get app() {
      return current().app;
    },
    get mail() {
      return current().mail;
    },
    get deps() {
      return current().deps;
    },
    get services() {
      return current().services;
    },
    get repos() {
      return current().repos;
    },
    get config() {
      return current().config;
    },
    get clock() {
      return current().clock;
    },
    deliverMail: () => current().deliverMail(),
    // Closing early leaves the afterAll nothing to do.
    close: stop,
  };
}

/** Deletes the keys under a prefix: on each master of a cluster, one key at a time (they lie in different slots). */
export async function deleteRedisKeys(redis: Redis, prefix: string): Promise<void> {
  const cluster = redis as unknown as Partial<RedisCluster>;
  const servers: Scanning[] = cluster.masters ? await Promise.all(cluster.masters.map((master) => (cluster as RedisCluster).nodeClient(master) as Promise<Scanning>)) : [redis as unknown as Scanning];
  for (const server of servers) {
    for await (const keys of server.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      for (const key of keys) await server.del(key);
    }
  }
}

type RedisCluster = ReturnType<typeof createCluster>;
type Scanning = ReturnType<typeof createClient>;
