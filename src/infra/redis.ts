import diagnostics from 'node:diagnostics_channel';
import { CHANNELS, ClientOfflineError, createClient, createCluster, createSentinel } from 'redis';
import type { RedisNodes, RedisTopology } from './redis-config';
import type { Logger } from './logger';

type ServerClient = ReturnType<typeof createRedis>;

/**
 * What the service asks of Redis, which a client of one server, of a cluster and of a
 * master found through sentinels all offer with the same signatures. On a cluster, every
 * MULTI and multi-key command names keys of one hash slot.
 */
export type Redis = Pick<
  ServerClient,
  'isOpen' | 'isReady' | 'connect' | 'close' | 'destroy' | 'multi' | 'ping' | 'get' | 'set' | 'del' | 'mGet' | 'getDel' | 'zRange' | 'zRangeByScore' | 'zCard' | 'zCount' | 'sAdd' | 'sMembers' | 'pExpire'
>;

export interface RedisTimeouts {
  /** Connecting, the server's first answers included. */
  connectMs: number;
  /** Waiting for the answer to a command. */
  commandMs: number;
}

/**
 * A client that never makes a request wait long for Redis: while it is unreachable or
 * still connecting, commands fail at once, and while it does not answer, they fail after
 * the command timeout (the request gets a 503 page). The client keeps reconnecting in
 * the background, so the service recovers by itself when Redis returns. (A master found
 * through sentinels is the exception for the timeout: see createNodesClient.)
 */
export function createRedisFor(topology: RedisTopology, logger: Logger, timeouts: RedisTimeouts): Redis {
  if (topology.kind === 'server') return createRedis(topology.url, logger, timeouts);
  return createNodesClient(topology, logger, timeouts);
}

/** How often the sentinel client asks which server is the master. */
const SENTINEL_SCAN_MS = 1000;

const reconnectStrategy = (retries: number) => Math.min(100 * 2 ** retries, 5000);

/** The client of one server (REDIS_URL), with every command of node-redis. */
export function createRedis(url: string, logger: Logger, timeouts: RedisTimeouts) {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: timeouts.connectMs, reconnectStrategy },
  });
  const health = healthLog(logger);
  client.on('error', (err: Error) => health.unhealthy({ err: err.message }, 'redis unavailable, reconnecting'));
  client.on('ready', health.healthy);
  failBatchesWhileOffline(client);
  watchForHangs(client, timeouts, hangReports(health, timeouts));
  return client;
}

function hangReports(health: ReturnType<typeof healthLog>, timeouts: RedisTimeouts) {
  return {
    command: () => health.unhealthy({ timeoutMs: timeouts.commandMs }, `redis did not answer a command within ${timeouts.commandMs} ms, reconnecting (requests get a 503 meanwhile)`),
    connect: () => health.unhealthy({ timeoutMs: timeouts.connectMs }, `redis accepted the connection but did not answer within ${timeouts.connectMs} ms (requests get a 503 until it does)`, true),
  };
}

/** Logs the first failure of a run of them, and the recovery after it. */
function healthLog(logger: Logger) {
  let healthy = true;
  return {
    unhealthy(fields: object, message: string, always = false) {
      if (healthy || always) logger.error(fields, message);
      healthy = false;
    },
    healthy() {
      if (!healthy) logger.info('redis reachable again');
      healthy = true;
    },
  };
}

/**
 * A cluster, or the master its sentinels name: every connection the client opens (to the
 * nodes it discovers too) fails commands at once while it is not connected. The client
 * follows failovers and slot moves itself. On a cluster each node's connection is
 * watched as the one server's is: a command unanswered past the timeout drops that
 * connection, and the node's keys get 503s until it answers again. The sentinel client
 * keeps its connections to itself: a master that stops answering holds its commands
 * until the sentinels fail over or the connection breaks.
 */
function createNodesClient(topology: Exclude<RedisTopology, { kind: 'server' }>, logger: Logger, timeouts: RedisTimeouts): Redis {
  const nodeOptions = nodeClientOptions(topology, timeouts);
  const health = healthLog(logger);
  const unavailable = (err: Error) => health.unhealthy({ err: err.message }, 'redis unavailable, reconnecting');
  if (topology.kind === 'cluster') {
    const cluster = createCluster({ rootNodes: topology.addresses.map((socket) => ({ socket })), defaults: nodeOptions });
    cluster.on('error', unavailable);
    cluster.on('node-error', unavailable);
    cluster.on('node-ready', health.healthy);
    const guarded = new WeakSet<object>();
    // Each node's client exists by the time it connects; the ones found later too.
    cluster.on('node-connect', () => {
      for (const node of cluster.nodeByAddress.values()) {
        const client = node.client as unknown as (OfflineFailing & WatchedClient) | undefined;
        if (!client || guarded.has(client)) continue;
        guarded.add(client);
        failBatchesWhileOffline(client);
        watchForHangs(client, timeouts, hangReports(health, timeouts));
      }
    });
    return cluster as unknown as Redis;
  }
  const sentinel = createSentinel({
    name: topology.masterName,
    sentinelRootNodes: topology.addresses,
    nodeClientOptions: nodeOptions,
    sentinelClientOptions: nodeOptions,
    // node-redis listens for `switch-master` but sentinels announce `+switch-master`: without
    // asking every second, the client would keep writing to the old master (and lose those
    // writes) until the sentinels demote it, seconds after the failover.
    scanInterval: SENTINEL_SCAN_MS,
  });
  sentinel.on('error', unavailable);
  sentinel.on('ready', health.healthy);
  failBatchesWhileOffline(sentinel as unknown as OfflineFailing);
  return sentinel as unknown as Redis;
}

function nodeClientOptions(nodes: RedisNodes, timeouts: RedisTimeouts) {
  return {
    username: nodes.username,
    password: nodes.password,
    disableOfflineQueue: true,
    socket: nodes.tls
      ? { tls: true as const, connectTimeout: timeouts.connectMs, reconnectStrategy }
      : { connectTimeout: timeouts.connectMs, reconnectStrategy },
  };
}

/** A cluster answers when the master of every shard does (each holds some of the keys); else the one server or master must. */
export async function pingRedis(redis: Redis): Promise<void> {
  const cluster = redis as Partial<Pick<ReturnType<typeof createCluster>, 'masters' | 'nodeClient'>>;
  if (!cluster.masters) {
    await redis.ping();
    return;
  }
  const shards = redis as unknown as Pick<ReturnType<typeof createCluster>, 'masters' | 'nodeClient'>;
  await Promise.all(shards.masters.map(async (master) => (await shards.nodeClient(master)).ping()));
}

/**
 * With disableOfflineQueue, node-redis fails a single command at once while it is not
 * connected, but still queues MULTI and pipelines until it is: a request would wait for
 * the connection to fail. Fail them at once too.
 */
type Batch = (...args: never[]) => Promise<unknown[]>;
type OfflineFailing = { readonly isReady: boolean; _executeMulti: Batch; _executePipeline: Batch };

function failBatchesWhileOffline(client: OfflineFailing): void {
  const { _executeMulti: multi, _executePipeline: pipeline } = client;
  // Called on the client or on a view of it (withCommandOptions), which `this` keeps.
  client._executeMulti = function (this: unknown, ...args) {
    return client.isReady ? multi.apply(this, args) : Promise.reject(new ClientOfflineError());
  };
  client._executePipeline = function (this: unknown, ...args) {
    return client.isReady ? pipeline.apply(this, args) : Promise.reject(new ClientOfflineError());
  };
}

/** What the watch needs of a client. */
interface WatchedClient {
  readonly _clientId: string;
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  destroy(): void;
  on(event: 'connect' | 'ready' | 'error' | 'end', listener: () => void): unknown;
}

/**
 * node-redis bounds connecting, but neither the server's first answer nor the answer to
 * a command once it is sent: a paused or overloaded server, or a dead link that still
 * looks open, would hold every request. This watches the client's commands through its
 * diagnostics channel: when one has waited longer than the command timeout, the
 * connection is dropped, everything waiting fails, and the client connects afresh. A
 * connection the server accepts but does not answer is reported; until it answers,
 * commands fail at once (the client is not ready), and it becomes ready by itself when
 * the server answers.
 */
function watchForHangs(client: WatchedClient, timeouts: RedisTimeouts, report: { command(): void; connect(): void }): void {
  const waiting = new Map<object, number>();
  let connectedAt: number | undefined;
  let resetting = false;
  const started = (context: { clientId?: string }) => {
    if (context.clientId === client._clientId) waiting.set(context, Date.now());
  };
  const settled = (context: object) => waiting.delete(context);
  const handlers = { start: started, end: () => {}, asyncStart: () => {}, asyncEnd: settled, error: settled };
  const channels = [diagnostics.tracingChannel(CHANNELS.TRACE_COMMAND), diagnostics.tracingChannel(CHANNELS.TRACE_BATCH)];
  for (const channel of channels) channel.subscribe(handlers);

  const overdue = (since: number | undefined, limitMs: number) => since !== undefined && Date.now() - since > limitMs;
  const commandOverdue = () => [...waiting.values()].some((since) => overdue(since, timeouts.commandMs));
  // Only a ready client is reset: one that is connecting has its own attempt under way.
  const reset = () => {
    if (!client.isReady || !commandOverdue()) return;
    report.command();
    resetting = true;
    waiting.clear();
    client.destroy();
    resetting = false;
    client.connect().catch(() => {});
  };
  const unanswered = () => {
    if (!overdue(connectedAt, timeouts.connectMs)) return;
    connectedAt = undefined;
    report.connect();
  };
  // Decisions wait for pending I/O to be read (setImmediate), so an answer that arrived
  // while the process was busy is never mistaken for a hang.
  const check = setInterval(
    () => {
      if (commandOverdue()) setImmediate(reset);
      if (overdue(connectedAt, timeouts.connectMs)) setImmediate(unanswered);
    },
    Math.max(50, Math.min(timeouts.commandMs, timeouts.connectMs) / 4),
  );
  check.unref();

  client.on('connect', () => (connectedAt = Date.now()));
  client.on('ready', () => (connectedAt = undefined));
  client.on('error', () => (connectedAt = undefined));
  // The service closing the client (not a reset) ends the watch.
  client.on('end', () => {
    connectedAt = undefined;
    if (resetting) return;
    clearInterval(check);
    for (const channel of channels) channel.unsubscribe(handlers);
  });
}

/**
 * Starts connecting and waits until the client is ready, for at most `withinMs`: a service
 * started beside a running Redis serves its first request with it (never a 503 from a
 * connection still opening), and one started while Redis is down still answers (503)
 * while the client keeps reconnecting in the background.
 */
export async function connectRedis(client: Redis, logger: Logger, withinMs: number): Promise<void> {
  const connecting = client.connect().then(
    () => undefined,
    (err: Error) => logger.error({ err: err.message }, 'redis connection failed'),
  );
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, withinMs)));
  await Promise.race([connecting, waited]);
  clearTimeout(timer);
}
