import { createOneTimeLinks } from '../../src/core/one-time-links/one-time-links';
import type { TokenPurpose } from '../../src/core/one-time-links/one-time-tokens.repository';
import { describeApp } from '../helpers/app';
import { Visitor } from '../helpers/browser-agent';
import { createUser } from '../helpers/factories';
import { captureLogs } from '../helpers/log-capture';
import type { CaughtMail } from '../helpers/mail-catcher';

// Links live an hour (the shortest RESET_TOKEN_HOURS), so a two-hour outage outlives some of them.
const logs = captureLogs();
// Half a minute on a loaded two-core machine, most of it the 510 deliveries once the server is back.
jest.setTimeout(120_000);
const t = describeApp({ RESET_TOKEN_HOURS: '1' }, { mail: true, logger: logs.logger });

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const RECIPIENTS = 10;
const MESSAGES = 500;
const OUTAGE_MS = 2 * HOUR;
const QUEUED_PER_MINUTE = 5;
const WORKERS = 4;
/** The outbox sends a link only with this much life left; less is as good as dead (OUTBOX_POLICY.linkMinLifeMs). */
const LINK_MIN_LIFE_MS = 10 * MINUTE;

interface Queued {
  /** In every message's greeting (the first name it is sent to), so each can be told apart. */
  marker: string;
  to: string;
  template: string;
  /** The link's token and when it dies, for the messages built around one. */
  token?: string;
  expiresAt?: number;
}

/** Which queued message a received one is, by the marker in its greeting. */
const markerOf = (mail: CaughtMail) => /\b(?:Msg|Page)\d{4}\b/.exec(mail.text)?.[0] ?? `no marker in ${mail.subject}`;

describe('The mail server refuses connections for two hours', () => {
  it('delivers every message once, in queue order per recipient, and never a link that died while it waited', async () => {
    const people = await Promise.all(Array.from({ length: RECIPIENTS }, (_, r) => createUser(t, { firstName: `Page${String(r).padStart(4, '0')}` })));
    const oneTimeLinks = createOneTimeLinks({ repos: t.repos, clock: t.clock });
    const queued: Queued[] = [];
    const deliveredAt = new Map<CaughtMail, number>();
    const outageStart = t.clock.now().getTime();
    await t.mail.stop();

    // Each person first asks for a reset through the page, as anyone would while the mail is down.
    for (const person of people) {
      await new Visitor(t.app).submit('/forgot-password', { email: person.email });
      queued.push({ marker: person.firstName, to: person.email, template: 'password_reset' });
    }
    await t.deps.background.drain();
    const pageRows = await t.deps.db('mail_outbox').where({ template: 'password_reset' });
    expect(pageRows.map((row) => new Date(row.link_expires_at).getTime() - new Date(row.created_at).getTime())).toEqual(people.map(() => HOUR));

    /** One more message: a reset or verification link (a real one), a security notice or a token reminder. */
    async function queueOne(i: number): Promise<void> {
      const person = people[i % RECIPIENTS] as (typeof people)[number];
      const marker = `Msg${String(i).padStart(4, '0')}`;
      const kind = (['password_reset', 'email_verification', 'security_notice', 'token_expiring'] as const)[i % 4] as 'password_reset' | 'email_verification' | 'security_notice' | 'token_expiring';
      const origin = { ip: '203.0.113.9', browser: 'Firefox', os: 'Linux' };
      await t.repos.transaction(async (tx) => {
        const queue = t.deps.mail.queue;
        if (kind === 'password_reset' || kind === 'email_verification') {
          const purpose: TokenPurpose = kind === 'password_reset' ? 'password_reset' : 'email_verify';
          const token = await oneTimeLinks.issue(tx, { purpose, userId: person.id, lifetimeMs: t.config.resetTokenMs });
          queued.push({ marker, to: person.email, template: kind, token, expiresAt: t.clock.now().getTime() + t.config.resetTokenMs });
          const link = kind === 'password_reset' ? t.deps.links.resetPassword(token) : t.deps.links.verifyEmail(token);
          const renewLink = kind === 'password_reset' ? t.deps.links.forgotPassword() : t.deps.links.home();
          const expiringLink = { lifetimeMs: t.config.resetTokenMs, renewLink };
          if (kind === 'password_reset') await queue.queue(tx.outbox, { to: person.email, template: kind, locale: 'en', data: { firstName: marker, link, hours: 1, ...origin }, expiringLink });
          else await queue.queue(tx.outbox, { to: person.email, template: kind, locale: 'en', data: { firstName: marker, link, hours: 1 }, expiringLink });
          return;
        }
        queued.push({ marker, to: person.email, template: kind });
        if (kind === 'security_notice') {
          await queue.queue(tx.outbox, { to: person.email, template: kind, locale: 'en', data: { firstName: marker, kind: 'ssh_key_added', detail: 'laptop', when: 'today', notMeLink: t.deps.links.home(), ...origin } });
        } else {
          await queue.queue(tx.outbox, { to: person.email, template: kind, locale: 'en', data: { firstName: marker, name: 'deploy', when: 'next week', link: t.deps.links.tokens() } });
        }
      });
    }

    /**
     * A minute of the app's workers, as four processes (WEB_CONCURRENCY=4) run them: each
     * polls every 2 seconds and claims up to a batch each time, until nothing is due.
     */
    async function workForAMinute(): Promise<void> {
      const attempts = async () => Number((await t.deps.db('mail_outbox').sum({ n: 'attempts' }))[0]?.n ?? 0);
      for (let poll = 0, before = -1; poll < 30; poll++) {
        const now = await attempts();
        if (now === before) break;
        before = now;
        await Promise.all(Array.from({ length: WORKERS }, () => t.deps.mail.worker.runOnce()));
        for (const mail of t.mail.messages) if (!deliveredAt.has(mail)) deliveredAt.set(mail, t.clock.now().getTime());
      }
      t.clock.advance(MINUTE);
    }

    for (let i = 0; t.clock.now().getTime() - outageStart < OUTAGE_MS; ) {
      for (let n = 0; n < QUEUED_PER_MINUTE && i < MESSAGES; n++, i++) await queueOne(i);
      await workForAMinute();
    }
    expect(t.mail.messages).toHaveLength(0);
    expect(queued).toHaveLength(MESSAGES + RECIPIENTS);

    await t.mail.start();
    for (let minutes = 0; t.mail.messages.length < queued.length && minutes < 3 * 60; minutes++) await workForAMinute();

    // Each exactly once.
    const received = t.mail.messages.map(markerOf).sort();
    expect(received).toEqual(queued.map((q) => q.marker).sort());
    // In queue order for each recipient.
    for (const person of people) {
      expect({ to: person.email, order: t.mail.to(person.email).map(markerOf) }).toEqual({ to: person.email, order: queued.filter((q) => q.to === person.email).map((q) => q.marker) });
    }
    // A link goes out only with life left in it; one that died while it waited becomes a note on where to ask again.
    const byMarker = new Map(queued.map((q) => [q.marker, q]));
    let fresh = 0;
    let expired = 0;
    for (const mail of t.mail.messages) {
      const message = byMarker.get(markerOf(mail)) as Queued;
      if (message.expiresAt === undefined || message.token === undefined) continue;
      const lifeLeft = message.expiresAt - (deliveredAt.get(mail) as number);
      if (lifeLeft >= LINK_MIN_LIFE_MS) {
        fresh += 1;
        expect(mail.text).toContain(message.token);
      } else {
        expired += 1;
        expect({ marker: message.marker, subject: mail.subject }).toEqual({ marker: message.marker, subject: 'Your Atrium link expired before it reached you' });
        expect(mail.text).not.toContain(message.token);
        expect(mail.text).toContain(message.template === 'password_reset' ? t.deps.links.forgotPassword() : t.deps.links.home());
        expect(mail.text).toMatch(message.template === 'password_reset' ? /link to choose a new password that we prepared on/ : /link to confirm your email address that we prepared on/);
      }
    }
    expect(fresh).toBeGreaterThan(0);
    expect(expired).toBeGreaterThan(0);
    // The page-driven resets were queued at the start: their links died during the outage.
    for (const person of people) expect(t.mail.to(person.email).find((m) => markerOf(m) === person.firstName)?.subject).toBe('Your Atrium link expired before it reached you');

    const rows = await t.deps.db('mail_outbox');
    expect(rows.filter((row) => row.sent_at === null || row.failed_at !== null || row.data !== null)).toEqual([]);
    expect(logs.text()).toContain('the link expired while the message waited');
    console.log(`mail outage: ${queued.length} messages, ${fresh} links delivered alive, ${expired} replaced by a note, all sent after ${Math.round((t.clock.now().getTime() - outageStart) / MINUTE)} minutes of clock`);
  });
});
