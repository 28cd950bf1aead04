import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';

export const ROOT = path.join(__dirname, '..', '..');
/** The PostgreSQL server the benchmarks create their throw-away databases on. */
export const DATABASE_SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh database on the benchmark's PostgreSQL server, dropped afterwards. */
export async function throwAwayDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `atrium_bench_${crypto.randomBytes(4).toString('hex')}`;
  const run = async (sql: string) => {
    const admin = knexFactory({ client: 'pg', connection: DATABASE_SERVER_URL, pool: { min: 0, max: 1 } });
    try {
      await admin.raw(sql);
    } finally {
      await admin.destroy();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(DATABASE_SERVER_URL);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => run(`drop database if exists ${name} with (force)`) };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface Service {
  port: number;
  child: ChildProcess;
  /** The pids of the service and its cluster workers (for CPU accounting). */
  pids(): number[];
  stop(): Promise<void>;
}

function answers(port: number, urlPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200));
      })
      .on('error', () => resolve(false));
  });
}

/**
 * Starts a node process (the built service, or a floor app) with these settings and waits
 * until `readyPath` answers 200. Its output goes to a log file under the OS temp folder, not
 * to a pipe this process would have to read.
 */
export async function startService(args: string[], env: Record<string, string>, options: { port: number; readyPath?: string; name: string }): Promise<Service> {
  const log = path.join(os.tmpdir(), `atrium-bench-${options.name}-${options.port}.log`);
  const out = fs.openSync(log, 'w');
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env, PORT: String(options.port) }, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let up = false;
  for (let i = 0; i < 600 && !up && child.exitCode === null; i++) {
    up = await answers(options.port, options.readyPath ?? '/healthz');
    if (!up) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!up) {
    child.kill('SIGKILL');
    throw new Error(`${options.name} did not start; its log:\n${fs.readFileSync(log, 'utf8').slice(-4000)}`);
  }
  return {
    port: options.port,
    child,
    pids: () => [child.pid as number, ...childrenOf(child.pid as number)],
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

function childrenOf(pid: number): number[] {
  try {
    const direct = fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    return direct.flatMap((child) => [child, ...childrenOf(child)]);
  } catch {
    return [];
  }
}

/** The settings the built service runs with in every benchmark: production, real back-ends, no mail sent. */
export function serviceEnv(options: { databaseUrl: string; port: number; dataDir: string; extra?: Record<string, string> }): Record<string, string> {
  return {
    NODE_ENV: 'production',
    BASE_URL: `http://127.0.0.1:${options.port}`,
    DATABASE_URL: options.databaseUrl,
    REDIS_URL,
    REDIS_KEY_PREFIX: `bench${crypto.randomBytes(3).toString('hex')}:`,
    SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
    DATA_KEY: crypto.randomBytes(32).toString('hex'),
    MAIL_TRANSPORT: 'file',
    DATA_DIR: options.dataDir,
    LOG_LEVEL: 'info',
    ...options.extra,
  };
}

/**
 * The service as `npm start` runs it: the compiled JavaScript (run `npm run build` first).
 * BENCH_SERVICE names another build's dist/src/server.js, to measure an older commit.
 */
export const SERVICE_ARGS = [process.env.BENCH_SERVICE ?? path.join(ROOT, 'dist', 'src', 'server.js')];
