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
import { createAccount as createAccountIn, type Account } from './server-pair';
import { startServer, stop, waitUntilUp, type RunningProcess } from './server-process';
import { closedPort } from './tcp-proxy';

export interface ServiceProcess {
  port: number;
  process: RunningProcess;
  /** The data the process serves, seen from the test: accounts are created directly, rows read back. */
  deps: Deps;
  repos: Repositories;
  services: Services;
  /** An account with GOOD_PASSWORD, created directly in the database. */
  createAccount(): Promise<Account>;
  close(): Promise<void>;
}

/**
 * src/server.ts as production runs it (a process of its own, NODE_ENV=production), on a
 * fresh database of the real PostgreSQL and the real Redis under a key prefix of its own,
 * mail written to files. The test migrates the database first and keeps its own handle on
 * both back-ends; `close` stops the process and removes the database, keys and files.
 */
export async function startServiceProcess(settings: Record<string, string> = {}): Promise<ServiceProcess> {
  const database = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-service-'));
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    BASE_URL: 'http://accounts.example.test',
    DATABASE_URL: database.url,
    REDIS_URL: process.env.TEST_REDIS_URL as string,
    REDIS_KEY_PREFIX: `svc${crypto.randomBytes(4).toString('hex')}:`,
    SESSION_SECRET: crypto.randomBytes(24).toString('hex'),
    DATA_KEY: crypto.randomBytes(24).toString('hex'),
    MAIL_TRANSPORT: 'file',
    DATA_DIR: dataDir,
    BCRYPT_COST: '4',
    ...settings,
  };
  const deps = await createDeps(loadConfig({ ...env, LOG_LEVEL: 'silent' }), { breached: { has: () => false, size: 0 } });
  const port = await closedPort();
  const running = startServer({ ...env, PORT: String(port) });
  const close = async () => {
    await stop(running);
    if (deps.redis?.isReady) await deleteRedisKeys(deps.redis, env.REDIS_KEY_PREFIX as string);
    await closeDeps(deps);
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilUp(port, running.child);
    for (let i = 0; i < 100 && deps.redis && !deps.redis.isReady; i++) await new Promise((r) => setTimeout(r, 50));
  } catch (err) {
    await close();
    throw new Error(`${String(err)}\n${running.log()}`, { cause: err });
  }
  const { repos, services } = createApp(deps);
  const createAccount = () => createAccountIn(repos, services, deps, 'svc');
  return { port, process: running, deps, repos, services, createAccount, close };
}
