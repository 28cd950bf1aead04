import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPasswordHasher } from '../../src/features/password/password-hasher';
import { createDb, type Db } from '../../src/infra/db';
import { createRepositories } from '../../src/repositories';
import { GOOD_PASSWORD } from './factories';
import { durationOf, type Answer, type LoadAccount } from './load-driver';
import { PrivatePostgres } from './private-postgres';
import { PrivateRedis } from './private-redis';
import { startServer, stop, waitUntilUp, type RunningProcess } from './server-process';
import { closedPort } from './tcp-proxy';

/**
 * Short but sane back-end timeouts for the app under test, through its own settings: a
 * request that meets a back-end that is down is answered within the longest of them.
 */
export const BACKEND_TIMEOUTS = {
  DATABASE_CONNECT_TIMEOUT_MS: '1000',
  DATABASE_STATEMENT_TIMEOUT_MS: '2000',
  DATABASE_ACQUIRE_TIMEOUT_MS: '2000',
  REDIS_CONNECT_TIMEOUT_MS: '1000',
  REDIS_COMMAND_TIMEOUT_MS: '1000',
};
const LONGEST_TIMEOUT_MS = Math.max(...Object.values(BACKEND_TIMEOUTS).map(Number));
/** Room for a busy two-core machine (a full test run beside this one) on top of the configured timeout. */
export const BUSY_MACHINE_MARGIN_MS = 4000;
/** No request may take longer than this, outage or not. */
export const LONGEST_ANSWER_MS = LONGEST_TIMEOUT_MS + BUSY_MACHINE_MARGIN_MS;

const UNAVAILABLE = 'The service is briefly unavailable. Please try again in a moment.';

/**
 * A PostgreSQL and a Redis of the test's own, and the app as a real process
 * (src/server.ts, production mode) on them, with accounts to sign in to.
 */
export interface OutageStage {
  postgres: PrivatePostgres;
  redis: PrivateRedis;
  app: RunningProcess;
  origin: { port: number };
  accounts: LoadAccount[];
  /** A pool of the test's own on the database, to read rows back (open it after the outage). */
  openDb(): Db;
  close(): Promise<void>;
}

export async function startOutageStage(accountCount: number, settings: Record<string, string> = {}): Promise<OutageStage> {
  const postgres = new PrivatePostgres();
  const redis = new PrivateRedis();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-faults-'));
  let app: RunningProcess | undefined;
  const close = async () => {
    if (app) await stop(app);
    await Promise.allSettled([postgres.stop(), redis.stop()]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await Promise.all([postgres.start(), redis.start()]);
    const port = await closedPort();
    app = startServer({
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      BASE_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      SESSION_SECRET: crypto.randomBytes(24).toString('hex'),
      DATA_KEY: crypto.randomBytes(24).toString('hex'),
      MAIL_TRANSPORT: 'file',
      DATA_DIR: dataDir,
      BCRYPT_COST: '4',
      // Every round signs in on a new browser: the oldest sessions must not be ended under the load.
      MAX_SESSIONS_PER_USER: '1000',
      ...BACKEND_TIMEOUTS,
      ...settings,
    });
    await waitUntilUp(port, app.child);
    const accounts = await createAccounts(postgres.url, accountCount);
    return { postgres, redis, app, origin: { port }, accounts, openDb: () => openDb(postgres.url), close };
  } catch (err) {
    const log = app?.log() ?? '';
    await close();
    throw new Error(`${String(err)}\n${log}`, { cause: err });
  }
}

function openDb(url: string): Db {
  return createDb({ databaseUrl: url, embeddedDir: 'memory', log: { warn: () => {}, error: () => {} }, timeouts: { connectMs: 5000, statementMs: 10_000, acquireMs: 10_000 } });
}

async function createAccounts(url: string, count: number): Promise<LoadAccount[]> {
  const db = openDb(url);
  try {
    const repos = createRepositories(db);
    const passwordHash = await createPasswordHasher({ cost: 4 }).hash(GOOD_PASSWORD);
    return await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const username = `load${i}${crypto.randomBytes(2).toString('hex')}`;
        const user = await repos.users.insert({ username, email: `${username}@example.com`, firstName: 'Ada', lastName: 'Lovelace', passwordHash, language: 'en', theme: null, now: new Date() });
        return { id: user.id, username, password: GOOD_PASSWORD };
      }),
    );
  } finally {
    await db.destroy();
  }
}

/** A 503 that says what happened in words: the page, or the JSON error with its message. */
export function unavailableInWords(answer: Answer): boolean {
  if (answer.status !== 503) return false;
  if (answer.contentType.startsWith('application/json')) {
    const body = JSON.parse(answer.text) as { error?: { code?: string; message?: string }; status?: string };
    // /readyz answers 503 with what is unavailable rather than an error.
    return (body.error?.code === 'service_unavailable' && body.error.message === UNAVAILABLE) || body.status === 'unavailable';
  }
  return answer.contentType.startsWith('text/html') && answer.text.includes(UNAVAILABLE);
}

/** The errors the app logged as unexpected (each a 500), with their stacks. */
export function unhandledErrors(app: RunningProcess): string[] {
  return app
    .log()
    .split('\n')
    .filter((line) => line.includes('"unhandled error"'));
}

/** One line per answer, for a failure message that shows what happened. */
export function listAnswers(answers: Answer[], since: number): string {
  return answers
    .map((a) => `${a.kind} (person ${a.client}) at +${a.startedAt - since} ms: ${a.status || a.failure} in ${durationOf(a)} ms ${a.location ?? ''} ${a.status >= 400 ? a.text.replace(/\s+/g, ' ').slice(0, 200) : ''}`)
    .join('\n');
}

/** The slowest, the median and the count of `answers`' durations. */
export function timings(answers: Answer[]): { count: number; medianMs: number; slowestMs: number } {
  const ms = answers.map(durationOf).sort((a, b) => a - b);
  return { count: ms.length, medianMs: ms[Math.floor(ms.length / 2)] ?? 0, slowestMs: ms[ms.length - 1] ?? 0 };
}
