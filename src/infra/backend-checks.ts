import fs from 'node:fs';
import { createClient, createCluster, createSentinel } from 'redis';
import type { RedisTopology } from './redis-config';
import { createDb } from './db';

/** How long a back-end may take to answer the start-up check. */
export const CHECK_TIMEOUT_MS = 5000;

/** PostgreSQL 13 is the oldest release with every feature the migrations and queries use. */
const MIN_POSTGRES_NUM = 130000;
/** Redis 7.0 brought EXPIRE NX and GT, which the session index and rate limits use. */
const MIN_REDIS: [number, number] = [7, 0];

/** What a start-up check found wrong, in words for the operator (no stack, no secret). */
export function postgresVersionProblem(versionNum: string, version: string): string | undefined {
  const num = Number.parseInt(versionNum, 10);
  if (Number.isInteger(num) && num >= MIN_POSTGRES_NUM) return undefined;
  return `version ${version.split(' ')[0]} is too old; PostgreSQL 13 or later is needed`;
}

export function redisVersionProblem(info: string): string | undefined {
  const version = /^redis_version:(\S+)/m.exec(info)?.[1];
  if (!version) return 'it did not report its version (no redis_version in INFO server); Redis 7.0 or later is needed';
  const [major = 0, minor = 0] = version.split('.').map((part) => Number.parseInt(part, 10));
  if (major > MIN_REDIS[0] || (major === MIN_REDIS[0] && minor >= MIN_REDIS[1])) return undefined;
  return `version ${version} is too old; Redis 7.0 or later is needed (for EXPIRE NX and GT)`;
}

/** A failed connection in words: refused, unknown host, no answer, authentication failed, or the server's own message. */
export function connectionProblem(err: unknown): string {
  const { code, name, message = '' } = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; name?: unknown; message?: string };
  const firstLine = String(message).split('\n')[0] ?? '';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'unknown host';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'host unreachable';
  if (code === 'ETIMEDOUT' || name === 'ConnectionTimeoutError' || name === 'StartupTimeout' || /timeout/i.test(firstLine)) return `no answer within ${CHECK_TIMEOUT_MS / 1000} seconds`;
  if (code === '28P01' || code === '28000' || /^(WRONGPASS|NOAUTH)/.test(firstLine)) return `authentication failed (${firstLine})`;
  if (/Connection terminated|Socket closed unexpectedly|ECONNRESET/.test(firstLine) || code === 'ECONNRESET') return 'the server closed the connection';
  if (/All the root nodes are unavailable/.test(firstLine)) return 'none of the nodes listed could be reached';
  return firstLine;
}

class StartupTimeout extends Error {
  override name = 'StartupTimeout';
}

async function withinTimeout<T>(work: Promise<T>): Promise<T> {
  // Whatever the abandoned work says after the timeout is of no interest.
  work.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StartupTimeout()), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Where a URL points, as an operator would write it: host and port. */
export function hostAndPort(url: string, defaultPort: number): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || defaultPort}`;
}

/** Connects once to PostgreSQL and checks its version; undefined when all is well. */
export async function checkPostgres(databaseUrl: string): Promise<string | undefined> {
  const silent = { warn: () => {}, error: () => {} };
  const db = createDb({ databaseUrl, log: silent });
  try {
    const { rows } = (await withinTimeout(db.raw("select current_setting('server_version_num') as num, current_setting('server_version') as version"))) as {
      rows: { num: string; version: string }[];
    };
    const [row] = rows;
    return postgresVersionProblem(row?.num ?? '', row?.version ?? '?');
  } catch (err) {
    return connectionProblem(err);
  } finally {
    // A hung server may keep the pool from closing; the caller does not wait for it.
    void db.destroy().catch(() => {});
  }
}

/** Connects once to Redis and checks its version; undefined when all is well. */
export async function checkRedis(redisUrl: string): Promise<string | undefined> {
  const client = createClient({ url: redisUrl, socket: { connectTimeout: CHECK_TIMEOUT_MS, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    return await withinTimeout(client.connect().then(async () => redisVersionProblem(await client.info('server'))));
  } catch (err) {
    return connectionProblem(err);
  } finally {
    if (client.isOpen) client.destroy();
  }
}

type RedisNodesTopology = Exclude<RedisTopology, { kind: 'server' }>;

/** Connects once to every master of a cluster, or to the master the sentinels name, and checks the version. */
export async function checkRedisNodes(topology: RedisNodesTopology): Promise<string | undefined> {
  const node = {
    username: topology.username,
    password: topology.password,
    socket: topology.tls ? { tls: true as const, connectTimeout: CHECK_TIMEOUT_MS, reconnectStrategy: false as const } : { connectTimeout: CHECK_TIMEOUT_MS, reconnectStrategy: false as const },
  };
  const cluster = topology.kind === 'cluster' ? createCluster({ rootNodes: topology.addresses.map((socket) => ({ socket })), defaults: node }) : undefined;
  const sentinel = topology.kind === 'sentinel' ? createSentinel({ name: topology.masterName, sentinelRootNodes: topology.addresses, nodeClientOptions: node, sentinelClientOptions: node }) : undefined;
  cluster?.on('error', () => {});
  sentinel?.on('error', () => {});
  const infos = async (): Promise<string[]> => {
    if (cluster) {
      await cluster.connect();
      return Promise.all(cluster.masters.map(async (master) => (await cluster.nodeClient(master)).info('server')));
    }
    await sentinel?.connect();
    return [(await sentinel?.info('server')) ?? ''];
  };
  try {
    return await withinTimeout(infos().then((answers) => answers.map(redisVersionProblem).find((problem) => problem !== undefined)));
  } catch (err) {
    return connectionProblem(err);
  } finally {
    if (cluster?.isOpen) void cluster.destroy();
    if (sentinel?.isOpen) void sentinel.destroy().catch(() => {});
  }
}

/** Where a cluster's nodes or a master's sentinels are, as the operator wrote them. */
function redisNodesLine(topology: RedisNodesTopology, problem: string): string {
  const addresses = topology.addresses.map(({ host, port }) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`)).join(',');
  return topology.kind === 'cluster'
    ? `REDIS_CLUSTER_NODES: Redis Cluster at ${addresses}: ${problem}`
    : `REDIS_SENTINELS: Redis master "${topology.masterName}" through the sentinels at ${addresses}: ${problem}`;
}

/**
 * Checks, before anything is opened for good, that the back-ends named by the settings
 * can be used: the folder writable, PostgreSQL and Redis answering, letting us in, and
 * recent enough. Each problem is one line naming its variable.
 */
export async function checkBackends(settings: { dataDir?: string; databaseUrl?: string; redis?: RedisTopology }): Promise<string[]> {
  const { dataDir, databaseUrl, redis: topology } = settings;
  const folder = dataDir ? checkWritableFolder(dataDir) : undefined;
  const [database, redis] = await Promise.all([
    databaseUrl ? checkPostgres(databaseUrl) : undefined,
    topology ? (topology.kind === 'server' ? checkRedis(topology.url) : checkRedisNodes(topology)) : undefined,
  ]);
  return [
    folder && `DATA_DIR: ${folder}`,
    database && databaseUrl && `DATABASE_URL: PostgreSQL at ${hostAndPort(databaseUrl, 5432)}: ${database}`,
    redis && topology && (topology.kind === 'server' ? `REDIS_URL: Redis at ${hostAndPort(topology.url, 6379)}: ${redis}` : redisNodesLine(topology, redis)),
  ].filter((line): line is string => typeof line === 'string');
}

/** Creates the folder if needed and checks this process may write in it. */
export function checkWritableFolder(folder: string): string | undefined {
  try {
    fs.mkdirSync(folder, { recursive: true });
    fs.accessSync(folder, fs.constants.W_OK);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EROFS'
          ? 'read-only file system'
          : code === 'ENOTDIR' || code === 'EEXIST'
            ? 'part of the path is a file, not a folder'
            : code === 'ENOSPC'
              ? 'no space left on the device'
              : (code ?? 'unknown error');
    return `cannot write to ${folder} (${reason})`;
  }
}
