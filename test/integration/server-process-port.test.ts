import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { backend, createTestDatabase } from '../helpers/app';
import { startServer } from '../helpers/server-process';

let env: Record<string, string>;
let cleanup: () => Promise<void> = async () => {};
let blocker: net.Server;
let port: number;

beforeAll(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-port-'));
  env = { NODE_ENV: 'test', LOG_LEVEL: 'info', DATA_DIR: dataDir };
  if (backend === 'real') {
    const db = await createTestDatabase();
    Object.assign(env, { DATABASE_URL: db.url, REDIS_URL: process.env.TEST_REDIS_URL as string, REDIS_KEY_PREFIX: `port${Date.now()}:` });
    cleanup = () => db.drop();
  }
  // Another program holds the port, on every address as the service would listen.
  blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, resolve));
  port = (blocker.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => blocker.close(resolve));
  await cleanup();
  fs.rmSync(env.DATA_DIR as string, { recursive: true, force: true });
});

describe('A server whose port is taken', () => {
  it('says "port N is in use" and exits with 78 instead of running without listening', async () => {
    const server = startServer({ ...env, PORT: String(port) });
    expect(await server.exited).toBe(78);
    expect(server.stderr().trim()).toBe(`PORT: port ${port} is in use`);
    expect(server.log()).not.toContain('listening on');
  });

  if (backend === 'real') {
    it('in cluster mode, the primary sees its workers cannot listen and exits with 78 instead of starting others forever', async () => {
      const server = startServer({ ...env, PORT: String(port), WEB_CONCURRENCY: '2' });
      // Migrating and starting two workers takes a while on a busy machine; a primary that re-forks forever never ends.
      const timeout = setTimeout(() => server.child.kill('SIGKILL'), 150_000);
      const code = await server.exited;
      clearTimeout(timeout);
      expect(code).toBe(78);
      expect(server.stderr().trim()).toBe(`PORT: port ${port} is in use`);
      expect(server.log()).not.toContain('starting another');
    }, 180_000);
  }
});
