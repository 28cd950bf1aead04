import diagnostics from 'node:diagnostics_channel';
import { CHANNELS, ClientOfflineError, createClient } from 'redis';
import type { Logger } from './logger';

export type Redis = ReturnType<typeof createRedis>;

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
 * the background, so the service recovers by itself when Redis returns.
 */
export function createRedis(url: string, logger: Logger, timeouts: RedisTimeouts) {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: timeouts.connectMs,
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5000),
    },
  });
  let healthy = true;
  const unhealthy = (fields: object, message: string) => {
    if (healthy) logger.error(fields, message);
    healthy = false;
  };
  client.on('error', (err: Error) => unhealthy({ err: err.message }, 'redis unavailable, reconnecting'));
  client.on('ready', () => {
    if (!healthy) logger.info('redis reachable again');
    healthy = true;
  });
  failBatchesWhileOffline(client);
  watchForHangs(client, timeouts, {
    command: () => unhealthy({ timeoutMs: timeouts.commandMs }, `redis did not answer a command within ${timeouts.commandMs} ms, reconnecting (requests get a 503 meanwhile)`),
    connect: () => {
      logger.error({ timeoutMs: timeouts.connectMs }, `redis accepted the connection but did not answer within ${timeouts.connectMs} ms (requests get a 503 until it does)`);
      healthy = false;
    },
  });
  return client;
}

/**
 * With disableOfflineQueue, node-redis fails a single command at once while it is not
 * connected, but still queues MULTI and pipelines until it is: a request would wait for
 * the connection to fail. Fail them at once too.
 */
type Batch = (...args: never[]) => Promise<unknown[]>;

function failBatchesWhileOffline(client: { readonly isReady: boolean; _executeMulti: Batch; _executePipeline: Batch }): void {
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

/** Starts connecting without waiting: a service that boots while Redis is down still answers (503). */
export function connectRedis(client: Redis, logger: Logger): Promise<void> {
  return client.connect().then(
    () => undefined,
    (err: Error) => logger.error({ err: err.message }, 'redis connection failed'),
  );
}
