import { systemClock, type Clock } from '../../src/infra/clock';
import { createDataCipher } from '../../src/infra/crypto/data-cipher';
import { createDb, type Db } from '../../src/infra/db';
import { createLogger } from '../../src/infra/logger';
import { createMailRenderer } from '../../src/infra/mailer/mail-renderer';
import { createMailTransport } from '../../src/infra/mailer/mail-transport';
import { createOutboxRepository } from '../../src/infra/mailer/outbox.repository';
import { createOutboxWorker, type OutboxWorker } from '../../src/infra/mailer/outbox-worker';
import { startTestApp, type TestApp } from '../helpers/app';
import { MailCatcher } from '../helpers/mail-catcher';

/**
 * Two web processes share one outbox while the mail server is slow: it answers each
 * message only after a worker's lease would have run out. Every message must still
 * arrive exactly once. On PostgreSQL the second worker has its own pool, as another
 * process would; the embedded database serves one process, so there both share it.
 */
let t: TestApp;
let secondDb: Db | undefined;
const slowServer = new MailCatcher({ answerDelayMs: 2500 });
const logger = createLogger('silent');

beforeAll(async () => {
  t = await startTestApp();
  await slowServer.start();
  secondDb = t.config.databaseUrl ? createDb({ databaseUrl: t.config.databaseUrl }) : undefined;
});
afterAll(async () => {
  await secondDb?.destroy();
  await t.close();
  await slowServer.stop();
});
beforeEach(() => slowServer.clear());

function workerOn(db: Db, clock: Clock, leaseMs?: number): OutboxWorker {
  return createOutboxWorker({
    outbox: createOutboxRepository(db),
    renderer: createMailRenderer({ catalogues: t.deps.catalogues, productName: 'Atrium', baseUrl: t.config.baseUrl, cache: false }),
    transport: createMailTransport({ smtpUrl: slowServer.url, from: t.config.mailFrom, dataDir: t.config.dataDir, logger }),
    cipher: createDataCipher(t.config.dataKey, 'mail-outbox'),
    clock,
    logger,
    leaseMs,
  });
}

async function queue(to: string) {
  await t.repos.transaction((tx) =>
    t.deps.mail.queue.queue(tx.outbox, { to, template: 'email_verification', locale: 'en', data: { firstName: 'Ola', link: 'http://localhost:3000/verify-email/x', hours: 24 }, expiringLink: { lifetimeMs: 24 * 3_600_000, renewLink: 'http://localhost:3000/' } }),
  );
}

async function unsent(prefix: string): Promise<number> {
  const rows = await t.deps.db('mail_outbox').where('to', 'like', `${prefix}%`).whereNull('sent_at');
  return rows.length;
}

/** Polls like the background loop (a short pause between rounds) until nothing is left to send. */
async function poll(worker: OutboxWorker, prefix: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await unsent(prefix)) > 0 && Date.now() < deadline) {
    await worker.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function received(prefix: string): string[] {
  return slowServer.messages.filter((m) => m.to.startsWith(prefix)).map((m) => m.to);
}

describe('Two workers sending through a slow mail server', () => {
  it('deliver every message exactly once when the server answers only after the lease would have run out', async () => {
    for (let i = 0; i < 3; i++) await queue(`slow${i}@example.com`);
    const first = workerOn(t.deps.db, systemClock, 1200);
    const second = workerOn(secondDb ?? t.deps.db, systemClock, 1200);
    await Promise.all([poll(first, 'slow'), poll(second, 'slow')]);
    expect(received('slow').sort()).toEqual(['slow0@example.com', 'slow1@example.com', 'slow2@example.com']);
    expect(await unsent('slow')).toBe(0);
  });

  it('do not take over a message another worker is sending, even when their clock runs ten minutes ahead', async () => {
    for (let i = 0; i < 2; i++) await queue(`ahead${i}@example.com`);
    const onTime = workerOn(t.deps.db, systemClock);
    const ahead = workerOn(secondDb ?? t.deps.db, { now: () => new Date(Date.now() + 10 * 60_000) });
    const sending = poll(onTime, 'ahead');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await Promise.all([sending, poll(ahead, 'ahead')]);
    expect(received('ahead').sort()).toEqual(['ahead0@example.com', 'ahead1@example.com']);
  });
});
