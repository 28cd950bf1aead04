import crypto from 'node:crypto';
import { HttpBrowser } from '../helpers/http-browser';
import { linkIn, type CaughtMail } from '../helpers/mail-catcher';
import { senderOf, startServerPair, type AppProcess, type ServerPair } from '../helpers/server-pair';

// Starting two server processes takes a while on a busy machine; each outbox polls every two seconds.
jest.setTimeout(300_000);

const NEW_PASSWORD = 'harbour lantern quartz 52';
const OTHER_PASSWORD = 'copper meadow falcon 19';

let pair: ServerPair;
// A slow mail server: a worker's batch takes long enough that the other worker's polls fall inside it.
beforeAll(async () => {
  pair = await startServerPair({}, { answerDelayMs: 100 });
});
afterAll(async () => {
  await pair?.close();
});

const processNamed = (name: string): AppProcess => (name === 'A' ? pair.a : pair.b);
let addresses = 0;
/** A client address of its own for each request, so that the per-address limit on reset requests stays out of the way. */
const nextAddress = () => `198.51.100.${(addresses += 1)}`;

async function requestReset(on: AppProcess, email: string): Promise<void> {
  const res = await new HttpBrowser({ forwardedFor: nextAddress() }).submit(on, '/forgot-password', { email });
  expect(res.status).toBe(200);
}

/** The messages to exactly this address. */
const mailTo = (address: string): CaughtMail[] => pair.mail.messages.filter((m) => m.to.toLowerCase() === address.toLowerCase());

async function until(done: () => boolean, what: string, withinMs = 30_000): Promise<void> {
  for (const deadline = Date.now() + withinMs; !done(); ) {
    if (Date.now() > deadline) throw new Error(`Waited ${withinMs} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function mailedResetLink(on: AppProcess, email: string): Promise<string> {
  await requestReset(on, email);
  await until(() => mailTo(email).length > 0, `the reset mail to ${email}`);
  return new URL(linkIn(mailTo(email)[0] as CaughtMail, `${pair.baseUrl}/reset-password/`)).pathname;
}

describe('A reset link mailed by one of two app processes', () => {
  it.each([
    ['A', 'B'],
    ['B', 'A'],
  ])('works once: used through %s, then refused through %s with the invalid-link page', async (first, second) => {
    const [used, refused] = [processNamed(first), processNamed(second)];
    const account = await pair.createAccount();
    const link = await mailedResetLink(used, account.email);
    const late = new HttpBrowser();
    expect((await late.get(refused, link)).status).toBe(200);

    const res = await new HttpBrowser().submit(used, link, { password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/login');

    const again = await late.post(refused, link, { _csrf: late.csrf(), password: OTHER_PASSWORD, password_confirm: OTHER_PASSWORD });
    expect(again.status).toBe(404);
    expect(again.text).toContain('This link cannot be used');
    const opened = await new HttpBrowser().get(refused, link);
    expect(opened.status).toBe(404);
    expect(opened.text).toContain('This link cannot be used');
    const signIn = (password: string) => new HttpBrowser().submit(refused, '/login', { identifier: account.username, password });
    expect((await signIn(OTHER_PASSWORD)).status).toBe(422);
    expect((await signIn(NEW_PASSWORD)).status).toBe(303);
  });

  it('sets the password once when it is used through both processes at the same moment', async () => {
    const account = await pair.createAccount();
    const link = await mailedResetLink(pair.a, account.email);
    const onA = new HttpBrowser();
    const onB = new HttpBrowser();
    await onA.get(pair.a, link);
    await onB.get(pair.b, link);
    const answers = await Promise.all([
      onA.post(pair.a, link, { _csrf: onA.csrf(), password: NEW_PASSWORD, password_confirm: NEW_PASSWORD }),
      onB.post(pair.b, link, { _csrf: onB.csrf(), password: OTHER_PASSWORD, password_confirm: OTHER_PASSWORD }),
    ]);
    expect(answers.map((res) => res.status).sort()).toEqual([303, 404]);
    const winner = answers[0]?.status === 303 ? NEW_PASSWORD : OTHER_PASSWORD;
    const loser = winner === NEW_PASSWORD ? OTHER_PASSWORD : NEW_PASSWORD;
    const signIn = (password: string) => new HttpBrowser().submit(pair.b, '/login', { identifier: account.username, password });
    expect((await signIn(loser)).status).toBe(422);
    expect((await signIn(winner)).status).toBe(303);
  });
});

describe('Reset requests to two app processes', () => {
  it('are limited per address across both, at the same total as on one process', async () => {
    const email = `flood-${crypto.randomBytes(3).toString('hex')}@example.net`;
    for (let i = 0; i < 5; i++) await requestReset(i % 2 === 0 ? pair.a : pair.b, email);
    for (const on of pair.both) {
      const limited = await new HttpBrowser({ forwardedFor: nextAddress() }).submit(on, '/forgot-password', { email });
      expect(limited.status).toBe(429);
      expect(limited.text).toContain('Too many attempts');
    }
  });
});

describe('The mail outbox with the workers of two app processes running', () => {
  it('sends each of twenty queued messages exactly once', async () => {
    const accounts = await Promise.all(Array.from({ length: 10 }, () => pair.createAccount()));
    const strangers = Array.from({ length: 10 }, (_, i) => `nobody-${i}-${crypto.randomBytes(3).toString('hex')}@example.net`);
    const recipients = [...accounts.map((account) => account.email), ...strangers];
    await Promise.all(recipients.map((email, i) => requestReset(i % 2 === 0 ? pair.a : pair.b, email)));

    const delivered = () => pair.mail.messages.filter((m) => recipients.includes(m.to.toLowerCase()));
    await until(() => delivered().length >= recipients.length, 'twenty messages');
    // Two more polls of each worker: time enough for a second copy of any message to arrive.
    await new Promise((r) => setTimeout(r, 4_500));

    expect(recipients.map((email) => mailTo(email).length)).toEqual(recipients.map(() => 1));
    expect(new Set(delivered().map(senderOf))).toEqual(new Set(['A', 'B']));
    const rows = await pair.deps.db('mail_outbox').whereIn('to', recipients).select('attempts', 'sent_at');
    expect(rows).toHaveLength(recipients.length);
    for (const row of rows as { attempts: number; sent_at: Date | null }[]) {
      expect(row.sent_at).not.toBeNull();
      expect(row.attempts).toBe(1);
    }
  });
});
