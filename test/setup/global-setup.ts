import fs from 'node:fs';
import net from 'node:net';

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname || '127.0.0.1', port: Number(port) || (url.startsWith('redis') ? 6379 : 5432) });
    socket.setTimeout(3000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * Under CI the suites must run on the real servers too: a missing or unreachable
 * PostgreSQL or Redis fails the run instead of silently testing less.
 */
export default async function globalSetup(): Promise<void> {
  const db = process.env.TEST_DATABASE_URL;
  const redis = process.env.TEST_REDIS_URL;
  if (process.env.CI === 'true') {
    const missing = [!db && 'TEST_DATABASE_URL', !redis && 'TEST_REDIS_URL'].filter(Boolean);
    if (missing.length > 0) throw new Error(`CI=true but ${missing.join(' and ')} not set: the suites must also run on real PostgreSQL and Redis (see .ci/run).`);
  }
  for (const url of [db, redis]) {
    if (url && !(await reachable(url))) throw new Error(`Cannot reach ${new URL(url).host} (${url.split(':')[0]}): start it or unset the variable.`);
  }
  if (process.env.CI !== 'true' && !fs.existsSync('/usr/bin/chromium')) {
    console.log('\nBrowser suite skipped: /usr/bin/chromium not found (apt-get install chromium).');
  }
  if (!db || !redis) {
    console.log('\nReal back-end suites skipped: set TEST_DATABASE_URL and TEST_REDIS_URL to run them on PostgreSQL and Redis.');
  }
}
