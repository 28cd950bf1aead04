import fs from 'node:fs';
import path from 'node:path';
import { createDb } from '../../src/infra/db';
import { createDataCipher } from '../../src/infra/crypto/data-cipher';
import { createLogger } from '../../src/infra/logger';
import { createMailRenderer } from '../../src/infra/mailer/mail-renderer';
import { createMailTransport } from '../../src/infra/mailer/mail-transport';
import { createOutboxRepository } from '../../src/infra/mailer/outbox.repository';
import { OUTBOX_POLICY, createOutboxWorker, retryDelay } from '../../src/infra/mailer/outbox-worker';
import { describeApp, startTestApp } from '../helpers/app';
import { captureLogs } from '../helpers/log-capture';

const logs = captureLogs();
const t = describeApp({}, { logger: logs.logger, mail: true });
beforeEach(() => t.mail.clear());

const MINUTE = 60_000;

async function queue(to: string, template: 'email_verification' = 'email_verification') {
  await t.repos.transaction((tx) =>
    t.deps.mail.queue.queue(tx.outbox, { to, template, locale: 'en', data: { firstName: 'Ola', link: 'http://localhost:3000/verify-email/secret-token-value', hours: 24 }, expiringLink: { lifetimeMs: 24 * 3_600_000, renewLink: 'http://localhost:3000/' } }),
  );
}

describe('The mail outbox', () => {
  it('keeps queued data encrypted, and drops it once the message is sent', async () => {
    await queue('crypt@example.com');
    const [row] = await t.deps.db('mail_outbox').where({ to: 'crypt@example.com' });
    expect(row.data).toMatch(/^v1:/);
    expect(row.data).not.toContain('secret-token-value');
    await t.deliverMail();
    const [sent] = await t.deps.db('mail_outbox').where({ to: 'crypt@example.com' });
    expect(sent.sent_at).not.toBeNull();
    expect(sent.data).toBeNull();
    expect(t.mail.last('crypt@example.com').text).toContain('secret-token-value');
  });

  it('never loses a message while SMTP is down: it retries with growing pauses until the server is back', async () => {
    await t.mail.stop();
    await queue('outage@example.com');
    expect(await t.deliverMail()).toBe(0);
    const [failed] = await t.deps.db('mail_outbox').where({ to: 'outage@example.com' });
    expect(failed.attempts).toBe(1);
    expect(failed.last_error).toMatch(/ECONNREFUSED|connect/);
    expect(new Date(failed.next_attempt_at).getTime() - t.clock.now().getTime()).toBe(retryDelay(1));

    expect(await t.deliverMail()).toBe(0); // not due yet: nothing is attempted
    expect((await t.deps.db('mail_outbox').where({ to: 'outage@example.com' }))[0].attempts).toBe(1);

    await t.mail.start();
    t.clock.advance(retryDelay(1) + 1000);
    expect(await t.deliverMail()).toBe(1);
    expect(t.mail.to('outage@example.com')).toHaveLength(1);
    expect(logs.text()).toContain('mail delivery failed, will retry');
  });

  it('backs off from 30 seconds, doubling, to at most an hour', () => {
    expect([1, 2, 3, 4, 8, 20].map(retryDelay)).toEqual([30_000, 60_000, 120_000, 240_000, 3_600_000, 3_600_000]);
  });

  it('gives up only after retrying for more than a day, and says so in the log', async () => {
    await t.mail.stop();
    await queue('never@example.com');
    let attempts = 0;
    for (let elapsed = 0; elapsed < OUTBOX_POLICY.giveUpAfterMs + 2 * 3_600_000; elapsed += 30 * MINUTE) {
      await t.deliverMail();
      t.clock.advance(30 * MINUTE);
      attempts += 1;
    }
    const [row] = await t.deps.db('mail_outbox').where({ to: 'never@example.com' });
    expect(row.failed_at).not.toBeNull();
    expect(new Date(row.failed_at).getTime() - new Date(row.created_at).getTime()).toBeGreaterThanOrEqual(24 * 3_600_000);
    expect(row.attempts).toBeGreaterThan(20);
    expect(row.data).toBeNull();
    expect(logs.text()).toContain('mail given up after retrying for a day');
    expect(attempts).toBeGreaterThan(0);
    await t.mail.start();
  });

  it('gives up at once on a message it can never decrypt (queued under another DATA_KEY), and logs why without the secret', async () => {
    const otherKey = createDataCipher('another-installation-data-key-0123456789', 'mail-outbox');
    const data = otherKey.encrypt(JSON.stringify({ firstName: 'Ola', link: 'http://localhost:3000/verify-email/foreign-secret-token', hours: 24 }));
    await t.repos.transaction((tx) => tx.outbox.insert({ to: 'foreign@example.com', template: 'email_verification', locale: 'en', data, now: t.clock.now() }));
    expect(await t.deliverMail()).toBe(0);
    const [row] = await t.deps.db('mail_outbox').where({ to: 'foreign@example.com' });
    expect(row.failed_at).not.toBeNull();
    expect(row.attempts).toBe(1);
    expect(row.data).toBeNull();
    expect(row.last_error).toMatch(/cannot be decrypted with this DATA_KEY/);
    expect(t.mail.to('foreign@example.com')).toHaveLength(0);
    expect(logs.text()).toContain('mail given up: it can never be sent');
    expect(logs.text()).not.toContain('foreign-secret-token');
    expect(logs.text()).not.toContain(data.slice(3, 40));
  });

  it('sends a note on where to ask again, not the link, when the link died while the mail server was away', async () => {
    await t.mail.stop();
    await t.repos.transaction((tx) =>
      t.deps.mail.queue.queue(tx.outbox, {
        to: 'late@example.com',
        template: 'password_reset',
        locale: 'de',
        data: { firstName: 'Ola', link: 'http://localhost:3000/reset-password/dead-token-value', hours: 1, ip: '203.0.113.9', browser: 'Firefox', os: 'Linux' },
        expiringLink: { lifetimeMs: 60 * MINUTE, renewLink: 'http://localhost:3000/forgot-password' },
      }),
    );
    expect(await t.deliverMail()).toBe(0);
    await t.mail.start();
    t.clock.advance(51 * MINUTE);
    expect(await t.deliverMail()).toBe(1);
    const note = t.mail.last('late@example.com');
    expect(note.subject).toBe('Ihr Link für Atrium ist abgelaufen, bevor er Sie erreicht hat');
    expect(note.text).toContain('Der Link, um ein neues Passwort zu wählen,');
    expect(note.text).toContain('http://localhost:3000/forgot-password');
    expect(note.text).not.toContain('dead-token-value');
    expect(logs.text()).toContain('the link expired while the message waited');
  });

  it('sends one recipient\'s messages in the order they were queued, whatever their retries', async () => {
    await t.mail.stop();
    await queue('ordered@example.com');
    for (let minute = 0; minute < 20; minute++) {
      await t.deliverMail();
      t.clock.advance(MINUTE);
    }
    // The first has backed off to minutes between attempts; the second is new and due at once.
    await t.repos.transaction((tx) =>
      t.deps.mail.queue.queue(tx.outbox, { to: 'ordered@example.com', template: 'account_deleted', locale: 'en', data: { firstName: 'Ola', username: 'ola' } }),
    );
    await t.mail.start();
    await t.deliverMail();
    expect(t.mail.to('ordered@example.com')).toHaveLength(0);
    t.clock.advance(60 * MINUTE);
    await t.deliverMail();
    expect(t.mail.to('ordered@example.com').map((m) => m.subject)).toEqual(['Confirm your email address for Atrium', expect.stringContaining('deleted')]);
  });

  it('sends each message exactly once when two workers share the outbox', async () => {
    // On PostgreSQL the second worker has its own pool, as another process would.
    const secondDb = t.config.databaseUrl ? createDb({ databaseUrl: t.config.databaseUrl }) : undefined;
    const other = secondDb ?? t.deps.db;
    const logger = createLogger('silent');
    const second = createOutboxWorker({
      outbox: createOutboxRepository(other),
      renderer: createMailRenderer({ catalogues: t.deps.catalogues, productName: 'Atrium', baseUrl: t.config.baseUrl, cache: false }),
      transport: createMailTransport({ smtpUrl: t.mail.url, from: t.config.mailFrom, dataDir: t.config.dataDir, logger }),
      cipher: createDataCipher(t.config.dataKey, 'mail-outbox'),
      clock: t.clock,
      logger,
    });
    for (let i = 0; i < 25; i++) await queue(`pair${i}@example.com`);
    for (let round = 0; round < 4; round++) await Promise.all([t.deliverMail(), second.runOnce(), t.deliverMail(), second.runOnce()]);
    const received = t.mail.messages.filter((m) => m.to.startsWith('pair')).map((m) => m.to);
    expect(received).toHaveLength(25);
    expect(new Set(received).size).toBe(25);
    await secondDb?.destroy();
  });
});

describe('Without SMTP_URL (the embedded default)', () => {
  it('writes each message as an .eml file under DATA_DIR/outbox and logs its links', async () => {
    const localLogs = captureLogs();
    const local = await startTestApp({}, { logger: localLogs.logger });
    try {
      await local.repos.transaction((tx) =>
        local.deps.mail.queue.queue(tx.outbox, { to: 'dev@example.com', template: 'email_verification', locale: 'de', data: { firstName: 'Dev', link: 'http://localhost:3000/verify-email/abc', hours: 24 }, expiringLink: { lifetimeMs: 24 * 3_600_000, renewLink: 'http://localhost:3000/' } }),
      );
      expect(await local.deliverMail()).toBe(1);
      const folder = path.join(local.config.dataDir, 'outbox');
      const files = fs.readdirSync(folder).filter((f) => f.endsWith('.eml'));
      expect(files).toHaveLength(1);
      const eml = fs.readFileSync(path.join(folder, files[0] as string), 'utf8');
      expect(eml).toMatch(/^To: dev@example.com$/m);
      expect(eml).toContain('Content-Type: text/plain');
      expect(eml).toContain('Content-Type: text/html');
      expect(localLogs.text()).toContain('http://localhost:3000/verify-email/abc');
    } finally {
      await local.close();
    }
  });
});

describe('Queueing', () => {
  it('refuses an address that could break mail headers', async () => {
    await expect(
      t.repos.transaction((tx) =>
        t.deps.mail.queue.queue(tx.outbox, { to: 'a@example.com\r\nBcc: b@example.com', template: 'email_verification', locale: 'en', data: { firstName: 'x', link: 'x', hours: 1 }, expiringLink: { lifetimeMs: 3_600_000, renewLink: 'x' } }),
      ),
    ).rejects.toThrow(/unsafe address/);
    expect(await t.deps.db('mail_outbox').where('to', 'like', '%Bcc%')).toEqual([]);
  });
});
