import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backend, createTestDatabase } from '../helpers/app';
import { get, startScript, startServer, stop, waitUntilUp, type RunningProcess } from '../helpers/server-process';
import { closedPort } from '../helpers/tcp-proxy';

// Each test starts servers and commands that open the database: minutes on a busy machine.
jest.setTimeout(400_000);

let dataDir: string;
const running: RunningProcess[] = [];

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-datadir-'));
});
afterEach(async () => {
  for (const proc of running.splice(0)) await stop(proc);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function serve(env: Record<string, string> = {}): Promise<{ server: RunningProcess; port: number }> {
  const port = await closedPort();
  const server = startServer({ NODE_ENV: 'test', LOG_LEVEL: 'info', DATA_DIR: dataDir, PORT: String(port), ...env });
  running.push(server);
  await waitUntilUp(port, server.child);
  return { server, port };
}

const inUse = (pid: number | undefined) => `DATA_DIR: the embedded database in ${path.join(dataDir, 'pgdata')} is in use by process ${pid}; stop the server first, or use DATABASE_URL`;

if (backend === 'embedded') {
  describe('One embedded database, one process', () => {
    it('a second server on the same DATA_DIR is refused, naming the process that holds it', async () => {
      const { server: first } = await serve();
      const second = startServer({ NODE_ENV: 'test', LOG_LEVEL: 'info', DATA_DIR: dataDir, PORT: String(await closedPort()) });
      expect(await second.exited).toBe(78);
      expect(second.stderr().trim()).toBe(inUse(first.servicePid()));
    });

    it('an operator command beside the running server is refused: stop the server first, or use DATABASE_URL', async () => {
      const { server } = await serve();
      const cli = startScript('cli.ts', { NODE_ENV: 'test', LOG_LEVEL: 'warn', DATA_DIR: dataDir }, ['users:lock', '--user', 'ada']);
      expect(await cli.exited).toBe(78);
      expect(cli.stderr().trim()).toBe(inUse(server.servicePid()));
    });

    it('a lock left behind by a killed server (kill -9) is taken over, and the data is still there', async () => {
      const { server, port } = await serve();
      expect((await get(port, '/login')).status).toBe(200);
      process.kill(server.servicePid() as number, 'SIGKILL');
      await server.exited;
      expect(fs.existsSync(path.join(dataDir, 'pgdata.lock'))).toBe(true);
      const { port: again } = await serve();
      expect(JSON.parse((await get(again, '/readyz')).body).status).toBe('ready');
    });

    it('a clean shutdown releases the lock, so an operator command runs after it', async () => {
      const { server } = await serve();
      expect(await stop(server)).toBe(0);
      expect(fs.existsSync(path.join(dataDir, 'pgdata.lock'))).toBe(false);
      const cli = startScript('cli.ts', { NODE_ENV: 'test', LOG_LEVEL: 'warn', DATA_DIR: dataDir }, ['sessions:revoke', '--all']);
      expect(await cli.exited).toBe(0);
      expect(cli.log()).toContain('Ended 0 sessions.');
    });
  });
}

if (backend === 'real') {
  describe('With DATABASE_URL, DATA_DIR is not locked', () => {
    it('two servers share one DATA_DIR when the database is PostgreSQL', async () => {
      const db = await createTestDatabase();
      try {
        const env = { DATABASE_URL: db.url, REDIS_URL: process.env.TEST_REDIS_URL as string, REDIS_KEY_PREFIX: `dd${Date.now()}:` };
        const { port: first } = await serve(env);
        const { port: second } = await serve(env);
        expect((await get(first, '/healthz')).status).toBe(200);
        expect((await get(second, '/healthz')).status).toBe(200);
      } finally {
        for (const proc of running.splice(0)) await stop(proc);
        await db.drop();
      }
    });
  });
}
