import { createClient } from 'redis';
import type { Logger } from './logger';

export type Redis = ReturnType<typeof createRedis>;

/**
 * A client that never makes a request wait for Redis: while it is unreachable commands
 * fail at once (the request gets a 503 page) and the client keeps reconnecting in the
 * background, so the service recovers by itself when Redis returns.
 */
export function createRedis(url: string, logger: Logger) {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 5000,
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5000),
    },
  });
  let healthy = true;
  client.on('error', (err: Error) => {
    if (healthy) logger.error({ err: err.message }, 'redis unavailable, reconnecting');
    healthy = false;
  });
  client.on('ready', () => {
    if (!healthy) logger.info('redis reachable again');
    healthy = true;
  });
  return client;
}

/** Starts connecting without waiting: a service that boots while Redis is down still answers (503). */
export function connectRedis(client: Redis, logger: Logger): Promise<void> {
  return client.connect().then(
    () => undefined,
    (err: Error) => logger.error({ err: err.message }, 'redis connection failed'),
  );
}
