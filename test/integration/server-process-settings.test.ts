import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { backend } from '../helpers/app';
import { startServer } from '../helpers/server-process';
import { closedPort } from '../helpers/tcp-proxy';

/** A TCP server that accepts connections and never says a word (a hung back-end). */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

// Every case is a server process of its own: minutes in all on a busy machine.
jest.setTimeout(300_000);

let dataDir: string;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-settings-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Starts the server with one bad setting; it must stop with 78 and exactly this line on stderr, no stack. */
async function expectRefusal(env: Record<string, string>, line: string, options?: { uid: number; gid: number }): Promise<string> {
  const server = startServer({ NODE_ENV: 'test', LOG_LEVEL: 'info', DATA_DIR: dataDir, PORT: '0', ...env }, options);
  const code = await server.exited;
  expect({ code, stderr: server.stderr().trim() }).toEqual({ code: 78, stderr: line });
  expect(server.log()).not.toMatch(/^\s+at /m);
  return server.log();
}

const secrets = { SESSION_SECRET: 'a'.repeat(40), DATA_KEY: 'b'.repeat(40) };

// These settings are refused before any back-end is used: one run (in the embedded project) suffices.
if (backend === 'embedded') {
  describe('The server refuses a bad setting at start with exit code 78 and one line naming it', () => {
    it.each([
      [{ PORT: ' ' }, 'PORT: must be a whole number written in decimal digits, from 0 to 65535'],
      [{ PORT: '0x10' }, 'PORT: must be a whole number written in decimal digits, from 0 to 65535'],
      [{ BCRYPT_COST: '1e1' }, 'BCRYPT_COST: must be a whole number written in decimal digits, from 4 to 15'],
      [{ MAIL_FROM: 'no-reply' }, 'MAIL_FROM: must be an email address (no-reply@example.com) or a name and an address (Atrium <no-reply@example.com>)'],
      [
        { BASE_URL: 'https://example.com/accounts' },
        'BASE_URL: must not have a path (/accounts): the service is served from the root of its host; give only the scheme, host and port, like https://accounts.example.com',
      ],
      [{ DATABASE_URL: 'postgres://127.0.0.1:5432/atrium' }, 'DATABASE_URL: has no user name (postgres://USER:PASSWORD@HOST:5432/DATABASE)'],
      [{ DATABASE_URL: 'postgres://atrium@no-such-host.invalid/atrium' }, 'DATABASE_URL: PostgreSQL at no-such-host.invalid:5432: unknown host'],
      [{ REDIS_URL: 'redis://no-such-host.invalid' }, 'REDIS_URL: Redis at no-such-host.invalid:6379: unknown host'],
      [{ NODE_ENV: 'production', ...secrets }, 'SMTP_URL: required when NODE_ENV=production (or set MAIL_TRANSPORT=file to write mail as files under DATA_DIR/outbox)'],
    ])('%j', (env, line) => expectRefusal(env, line));

    it('a DATABASE_URL or REDIS_URL on a closed port: connection refused', async () => {
      const port = await closedPort();
      await expectRefusal({ DATABASE_URL: `postgres://atrium@127.0.0.1:${port}/atrium` }, `DATABASE_URL: PostgreSQL at 127.0.0.1:${port}: connection refused`);
      await expectRefusal({ REDIS_URL: `redis://127.0.0.1:${port}` }, `REDIS_URL: Redis at 127.0.0.1:${port}: connection refused`);
    });

    it('a DATABASE_URL or REDIS_URL whose server never answers: no answer within 5 seconds', async () => {
      const silent = await silentServer();
      try {
        await expectRefusal({ DATABASE_URL: `postgres://atrium@127.0.0.1:${silent.port}/atrium` }, `DATABASE_URL: PostgreSQL at 127.0.0.1:${silent.port}: no answer within 5 seconds`);
        await expectRefusal({ REDIS_URL: `redis://127.0.0.1:${silent.port}` }, `REDIS_URL: Redis at 127.0.0.1:${silent.port}: no answer within 5 seconds`);
      } finally {
        await silent.close();
      }
    });

    it('a DATA_DIR it cannot write to: permission denied', async () => {
      const locked = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-readonly-'));
      fs.chmodSync(locked, 0o555);
      try {
        // root may write anywhere: run the server as nobody so the permission really applies.
        const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
        await expectRefusal({ DATA_DIR: locked }, `DATA_DIR: cannot write to ${locked} (permission denied)`, asNobody);
        await expectRefusal({ DATA_DIR: path.join(locked, 'data') }, `DATA_DIR: cannot write to ${path.join(locked, 'data')} (permission denied)`, asNobody);
      } finally {
        fs.rmSync(locked, { recursive: true, force: true });
      }
    });
  });
}

if (backend === 'real') {
  describe('The server names DATABASE_URL or REDIS_URL when the real server turns it away', () => {
    const pg = new URL(process.env.TEST_DATABASE_URL as string);
    const redis = new URL(process.env.TEST_REDIS_URL as string);

    it('a user the database does not know: authentication failed', async () => {
      const url = new URL(pg.href);
      url.username = 'nobody_here';
      url.password = 'not-the-password';
      const log = await expectRefusal({ DATABASE_URL: url.href }, `DATABASE_URL: PostgreSQL at ${pg.host}: authentication failed (role "nobody_here" does not exist)`);
      expect(log).not.toContain('not-the-password');
    });

    it('a database that does not exist: named', async () => {
      const url = new URL(pg.href);
      url.pathname = '/atrium_no_such_database';
      await expectRefusal({ DATABASE_URL: url.href }, `DATABASE_URL: PostgreSQL at ${pg.host}: database "atrium_no_such_database" does not exist`);
    });

    it('a wrong Redis password: authentication failed', async () => {
      const url = new URL(redis.href);
      url.username = 'nobody';
      url.password = 'not-the-password';
      const log = await expectRefusal({ REDIS_URL: url.href }, `REDIS_URL: Redis at ${redis.host}: authentication failed (WRONGPASS invalid username-password pair or user is disabled.)`);
      expect(log).not.toContain('not-the-password');
    });
  });
}
