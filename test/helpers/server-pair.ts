import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../../src/app';
import type { Services } from '../../src/composition-root';
import { loadConfig } from '../../src/config';
import { closeDeps, createDeps, type Deps } from '../../src/deps';
import type { Repositories } from '../../src/repositories';
import { createTestDatabase, deleteRedisKeys } from './app';
import { GOOD_PASSWORD } from './factories';
import { MailCatcher } from './mail-catcher';
import { startServer, stop, waitUntilUp, type RunningProcess } from './server-process';
import { closedPort } from './tcp-proxy';

/** One of the two app processes: its port, and the process itself (for its log). */
export interface AppProcess {
  name: 'A' | 'B';
  port: number;
  process: RunningProcess;
}

export interface Account {
  id: string;
  username: string;
  email: string;
  password: string;
}

export interface ServerPair {
  a: AppProcess;
  b: AppProcess;
  both: [AppProcess, AppProcess];
  /** The one SMTP server both processes send to; each sends as its own MAIL_FROM ("A" or "B"). */
  mail: MailCatcher;
  /** The origin both processes serve behind their (imagined) load balancer: the links in mail point there. */
  baseUrl: string;
  /** The data both processes share, seen from the test: accounts are created directly, sessions and mail read back. */
  deps: Deps;
  repos: Repositories;
  /** The services on the shared data, as an operator command would run them (registering an application, say). */
  services: Services;
  /** An account with GOOD_PASSWORD, created directly in the shared database. */
  createAccount(): Promise<Account>;
  close(): Promise<void>;
}

export interface PairOptions {
  /** The SMTP server holds its answer to each message this long, as a slow one would. */
  answerDelayMs?: number;
  /** Start both processes on a database nothing has migrated yet: both try to migrate it at once. */
  unmigrated?: boolean;
  /** Without Redis: sessions, limits and single-use claims live in PostgreSQL too. */
  withoutRedis?: boolean;
}

/**
 * Two app processes (src/server.ts, production mode) on one PostgreSQL database and one
 * Redis key prefix (or PostgreSQL alone), each with its own port and its own DATA_DIR,
 * as two machines behind a load balancer would run, sending mail to one SMTP server. The
 * database is migrated from the test first (unless `unmigrated`); then both start at the
 * same time.
 */
export async function startServerPair(settings: Record<string, string> = {}, options: PairOptions = {}): Promise<ServerPair> {
  const mail = new MailCatcher({ answerDelayMs: options.answerDelayMs });
  await mail.start();
  const database = await createTestDatabase();
  const baseUrl = 'http://accounts.example.test';
  const shared: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    BASE_URL: baseUrl,
    DATABASE_URL: database.url,
    ...(options.withoutRedis ? {} : { REDIS_URL: process.env.TEST_REDIS_URL as string }),
    REDIS_KEY_PREFIX: `two${crypto.randomBytes(4).toString('hex')}:`,
    SESSION_SECRET: crypto.randomBytes(24).toString('hex'),
    DATA_KEY: crypto.randomBytes(24).toString('hex'),
    SMTP_URL: mail.url,
    BCRYPT_COST: '4',
    TRUST_PROXY: 'loopback',
    ...settings,
  };
  const dataDirs: string[] = [];
  const dataDir = () => {
    dataDirs.push(fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-two-')));
    return dataDirs[dataDirs.length - 1] as string;
  };
  const seeding = () => createDeps(loadConfig({ ...shared, DATA_DIR: dataDir(), LOG_LEVEL: 'silent' }), { breached: { has: () => false, size: 0 }, skipMigrations: options.unmigrated });
  let deps = options.unmigrated ? undefined : await seeding();
  const start = async (name: 'A' | 'B'): Promise<AppProcess> => {
    const port = await closedPort();
    const running = startServer({ ...shared, PORT: String(port), DATA_DIR: dataDir(), MAIL_FROM: `Atrium ${name} <no-reply-${name.toLowerCase()}@example.test>` });
    return { name, port, process: running };
  };
  const [a, b] = await Promise.all([start('A'), start('B')]);
  const close = async () => {
    await Promise.all([a, b].map((app) => stop(app.process)));
    if (deps?.redis?.isReady) await deleteRedisKeys(deps.redis, shared.REDIS_KEY_PREFIX as string);
    if (deps) await closeDeps(deps);
    await mail.stop();
    await database.drop();
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all([a, b].map((app) => waitUntilUp(app.port, app.process.child)));
    deps ??= await seeding();
    for (let i = 0; i < 100 && deps.redis && !deps.redis.isReady; i++) await new Promise((r) => setTimeout(r, 50));
  } catch (err) {
    await close();
    throw new Error(`${String(err)}\nA: ${a.process.log()}\nB: ${b.process.log()}`, { cause: err });
  }
  const seeded = deps;
  const { repos, services } = createApp(seeded);
  return { a, b, both: [a, b], mail, baseUrl, deps: seeded, repos, services, createAccount: () => createAccount(repos, services, seeded), close };
}

let counter = 0;

/** An account with GOOD_PASSWORD, written straight into the database the app processes serve. */
export async function createAccount(repos: Repositories, services: Services, deps: Deps, prefix = 'two'): Promise<Account> {
  counter += 1;
  const tag = `${counter}${crypto.randomBytes(2).toString('hex')}`;
  const user = await repos.users.insert({
    username: `${prefix}${tag}`,
    email: `${prefix}${tag}@example.com`,
    firstName: 'Jane',
    lastName: 'Doe',
    passwordHash: await services.hasher.hash(GOOD_PASSWORD),
    language: 'en',
    theme: null,
    now: deps.clock.now(),
  });
  return { id: user.id, username: user.username, email: user.email, password: GOOD_PASSWORD };
}

/** Whichever process sent it, by its sender address (no-reply-a@ or no-reply-b@). */
export function senderOf(message: { parsed: { from?: { text: string } } }): string {
  return /no-reply-([ab])@/.exec(message.parsed.from?.text ?? '')?.[1]?.toUpperCase() ?? `unknown sender ${message.parsed.from?.text}`;
}
