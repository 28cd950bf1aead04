import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/run';
import { createDb, type Db } from '../../src/infra/db';
import { embeddedDirFor } from '../../src/infra/knex-config';
import { backend, createTestDatabase } from './app';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface OperatorCli {
  /** The settings the commands run with: a DATA_DIR of their own, and a database of their own on the real back-end. */
  env(): Record<string, string>;
  /** Runs a command as `npm run cli --` does, in this process. */
  cli(...args: string[]): Promise<CliResult>;
  /** The commands' database, opened directly (close it before the next command: the embedded one serves one process). */
  openDatabase(): Db;
}

/** Operator commands on a database of this test file's own, created before its tests and removed after them. */
export function operatorCliOnOwnDatabase(): OperatorCli {
  let env: Record<string, string> = {};
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-cli-'));
    env = { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, BASE_URL: 'https://accounts.example.com' };
    if (backend === 'real') {
      const db = await createTestDatabase();
      env.DATABASE_URL = db.url;
      cleanup = () => db.drop();
    } else {
      cleanup = async () => fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
  afterAll(async () => cleanup());
  return {
    env: () => env,
    async cli(...args) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(args, { out: (text) => out.push(text), err: (text) => err.push(text) }, env);
      return { code, stdout: out.join('\n'), stderr: err.join('\n') };
    },
    openDatabase: () => createDb(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { embeddedDir: embeddedDirFor(env.DATA_DIR as string) }),
  };
}
