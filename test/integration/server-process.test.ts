import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { backend, createTestDatabase } from '../helpers/app';
import { MailCatcher } from '../helpers/mail-catcher';
import { get, startServer as start, waitUntilUp } from '../helpers/server-process';
import { closedPort } from '../helpers/tcp-proxy';

// Starting a server (and migrating a fresh database) takes minutes on a busy machine.
jest.setTimeout(300_000);

describe('The server process', () => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-server-'));
    env = { NODE_ENV: 'test', LOG_LEVEL: 'info', DATA_DIR: dataDir };
    if (backend === 'real') {
      const db = await createTestDatabase();
      Object.assign(env, { DATABASE_URL: db.url, REDIS_URL: process.env.TEST_REDIS_URL as string, REDIS_KEY_PREFIX: `srv${Date.now()}:` });
      cleanup = () => db.drop();
    }
  });
  afterAll(async () => cleanup());

  it('migrates, serves, and drains and exits cleanly on SIGTERM', async () => {
    const port = await closedPort();
    const server = start({ ...env, PORT: String(port) });
    await waitUntilUp(port, server.child);
    expect((await get(port, '/login')).status).toBe(200);
    expect(JSON.parse((await get(port, '/readyz')).body).status).toBe('ready');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.log()).toContain('draining in-flight requests');
  });

  it('delivers queued mail from its background worker within seconds', async () => {
    const mail = new MailCatcher();
    await mail.start();
    const port = await closedPort();
    const server = start({ ...env, PORT: String(port), SMTP_URL: mail.url });
    try {
      await waitUntilUp(port, server.child);
      const form = await new Promise<{ cookie: string; token: string }>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: '/forgot-password', agent: false }, (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve({ cookie: String(res.headers['set-cookie']?.[0]).split(';')[0] as string, token: /name="_csrf" value="([^"]+)"/.exec(body)?.[1] as string }));
          })
          .on('error', reject);
      });
      const status = await new Promise<number>((resolve, reject) => {
        const body = `_csrf=${form.token}&email=someone%40example.com`;
        const req = http.request(
          { host: '127.0.0.1', port, path: '/forgot-password', method: 'POST', agent: false, headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      expect(status).toBe(200);
      // The worker polls every 2 s; a busy machine may take a few rounds to render and send.
      for (let i = 0; i < 150 && mail.messages.length === 0; i++) await new Promise((r) => setTimeout(r, 200));
      if (mail.messages.length === 0) throw new Error(`no mail within 30 s; the server said:\n${server.log()}`);
      expect(mail.to('someone@example.com')).toHaveLength(1);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      await mail.stop();
    }
  });

  it('refuses to start with a bad setting, naming it', async () => {
    const server = start({ ...env, PORT: 'eighty' });
    expect(await server.exited).toBe(78);
    expect(server.log()).toContain('PORT:');
  });

  if (backend === 'real') {
    it('starts WEB_CONCURRENCY workers that share the port', async () => {
      const port = await closedPort();
      const server = start({ ...env, PORT: String(port), WEB_CONCURRENCY: '2' });
      await waitUntilUp(port, server.child);
      for (let i = 0; i < 50 && (server.log().match(/listening on/g) ?? []).length < 2; i++) await new Promise((r) => setTimeout(r, 200));
      const pids = new Set([...server.log().matchAll(/"pid":(\d+)[^\n]*listening on/g)].map((m) => m[1]));
      expect(pids.size).toBe(2);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    });
  }
});
