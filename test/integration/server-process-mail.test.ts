import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backend, createTestDatabase } from '../helpers/app';
import { postForm, startScript, startServer, stop, waitUntilUp } from '../helpers/server-process';
import { closedPort } from '../helpers/tcp-proxy';

// Each test starts servers and commands that open the database: minutes on a busy machine.
jest.setTimeout(400_000);

let env: Record<string, string>;
let cleanup: () => Promise<void> = async () => {};

beforeAll(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-mail-'));
  env = { NODE_ENV: 'production', LOG_LEVEL: 'info', DATA_DIR: dataDir, SESSION_SECRET: 'a'.repeat(40), DATA_KEY: 'b'.repeat(40), MAIL_TRANSPORT: 'file' };
  if (backend === 'real') {
    const db = await createTestDatabase();
    Object.assign(env, { DATABASE_URL: db.url, REDIS_URL: process.env.TEST_REDIS_URL as string, REDIS_KEY_PREFIX: `mail${Date.now()}:` });
    cleanup = () => db.drop();
  }
});
afterAll(async () => {
  await cleanup();
  fs.rmSync(env.DATA_DIR as string, { recursive: true, force: true });
});

describe('Mail written to files in production (MAIL_TRANSPORT=file)', () => {
  it('writes each message under DATA_DIR/outbox and never puts its links in the log', async () => {
    const port = await closedPort();
    const created = startScript('cli.ts', { ...env, BASE_URL: `http://127.0.0.1:${port}` }, ['users:create', '--username', 'ada', '--email', 'ada@example.com', '--first-name', 'Ada', '--last-name', 'Lovelace']);
    expect(await created.exited).toBe(0);

    const server = startServer({ ...env, PORT: String(port), BASE_URL: `http://127.0.0.1:${port}` });
    try {
      await waitUntilUp(port, server.child);
      expect(await postForm(port, '/forgot-password', { email: 'ada@example.com' })).toBe(200);
      const outbox = path.join(env.DATA_DIR as string, 'outbox');
      for (let i = 0; i < 50 && !server.log().includes('mail written to file'); i++) await new Promise((r) => setTimeout(r, 200));
      const [file] = fs.readdirSync(outbox);
      expect(fs.readFileSync(path.join(outbox, file as string), 'utf8')).toMatch(/\/reset-password\/[A-Za-z0-9_-]{20,}/);
      expect(server.log()).toContain('mail written to file');
      expect(server.log()).not.toMatch(/reset-password\/[A-Za-z0-9_-]{20,}|"links"/);
    } finally {
      await stop(server);
    }
  });
});
