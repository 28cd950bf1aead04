import type { Db } from '../../src/infra/db';
import { csrfTokenIn } from '../helpers/browser-agent';
import { HttpBrowser, type Reply } from '../helpers/http-browser';
import { pause, ProfileLoad, type Answer, type LoadAccount } from '../helpers/load-driver';
import { answeredDuringOutage, expectEveryAnswerInTime, expectEveryKindServedAgain, expectProbesThroughOutage, loadThroughOutage, type OutageTimes } from '../helpers/outage-promises';
import { expectChangesKeptAsAnswered } from '../helpers/outage-rows';
import { listAnswers, startOutageStage, unavailableInWords, unhandledErrors, type OutageStage } from '../helpers/outage-stage';

// Starting PostgreSQL, Redis and the app on a busy machine takes a while; the run itself about half a minute.
jest.setTimeout(240_000);

const OUTAGE_MS = 5000;
const PATIENCE = { timeoutMs: 20_000 };
const SESSION_ENDED = {
  en: 'Your session has expired, please sign in again.',
  de: 'Ihre Sitzung ist abgelaufen, bitte melden Sie sich erneut an.',
  sr: 'Vaša sesija je istekla, prijavite se ponovo.',
};

const UNAUTHENTICATED = 'Authentication is required: send a personal access token, an app password or the session cookie.';

let stage: OutageStage;
let load: ProfileLoad;
let db: Db;
let at: OutageTimes;
/** People signed in before the outage who come back after it, one per language. */
const returning: Array<{ language: keyof typeof SESSION_ENDED; browser: HttpBrowser }> = [];
/** Sign-in attempts made while Redis was down: with a form shown before, right and wrong passwords, and HTTP Basic on the API. */
const attemptsWhileDown: Array<{ what: string; reply: Reply }> = [];

async function signIn(account: LoadAccount, acceptLanguage = 'en'): Promise<HttpBrowser> {
  const browser = new HttpBrowser({ ...PATIENCE, acceptLanguage });
  const res = await browser.submit(stage.origin, '/login', { identifier: account.username, password: account.password });
  if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
  return browser;
}

/** While Redis is down, someone tries to sign in in every way there is. */
async function trySigningInWhileDown(account: LoadAccount, formShownBefore: HttpBrowser[]): Promise<void> {
  const [right, wrong] = formShownBefore as [HttpBrowser, HttpBrowser];
  const fields = (password: string, browser: HttpBrowser) => ({ _csrf: browser.csrf(), identifier: account.username, password });
  attemptsWhileDown.push({ what: 'the right password, on a form shown before', reply: await right.post(stage.origin, '/login', fields(account.password, right)) });
  attemptsWhileDown.push({ what: 'a wrong password, on a form shown before', reply: await wrong.post(stage.origin, '/login', fields('not the password at all', wrong)) });
  const basic = `Basic ${Buffer.from(`${account.username}:app-password-guess-0000`).toString('base64')}`;
  const api = await fetch(`http://127.0.0.1:${stage.origin.port}/api/v1/users/me`, { headers: { authorization: basic, accept: 'application/json' }, signal: AbortSignal.timeout(PATIENCE.timeoutMs) });
  attemptsWhileDown.push({ what: 'HTTP Basic on the API', reply: { status: api.status, location: null, headers: api.headers, text: await api.text() } });
}

beforeAll(async () => {
  stage = await startOutageStage(9);
  const [guessed, ...others] = stage.accounts.slice(4) as [LoadAccount, ...LoadAccount[]];
  for (const [i, language] of (['en', 'de', 'sr'] as const).entries()) returning.push({ language, browser: await signIn(others[i] as LoadAccount, language) });
  const formShownBefore = [new HttpBrowser(PATIENCE), new HttpBrowser(PATIENCE)];
  for (const browser of formShownBefore) await browser.get(stage.origin, '/login');

  load = new ProfileLoad(stage.origin, { accounts: stage.accounts.slice(0, 4), pauseMs: 100, patienceMs: PATIENCE.timeoutMs });
  at = await loadThroughOutage(load, {
    name: 'Redis',
    broken: 'Redis killed (SIGKILL), to come back empty,',
    outageMs: OUTAGE_MS,
    breakIt: () => stage.redis.kill(),
    whileDown: () => trySigningInWhileDown(guessed, formShownBefore),
    restore: () => stage.redis.startAgain(),
  });
  db = stage.openDb();
}, 240_000);

afterAll(async () => {
  await db?.destroy();
  await stage?.close();
});

const duringOutage = (answers: Answer[]) => answeredDuringOutage(answers, at);

/**
 * A person whose session was lost with Redis is asked to sign in again: a page sends them
 * to the sign-in page (which says why, the first time), the JSON API answers 401 in words:
 * `session_ended` the first time, `unauthenticated` once that was said.
 */
function askedToSignInAgain(answer: Answer): boolean {
  if (answer.status === 303) return answer.location?.startsWith('/login') ?? false;
  if (answer.status !== 401) return false;
  const { error } = JSON.parse(answer.text) as { error?: { code?: string; message?: string } };
  return (error?.code === 'session_ended' && error.message === SESSION_ENDED.en) || (error?.code === 'unauthenticated' && error.message === UNAUTHENTICATED);
}

describe('Redis killed (kill -9) for five seconds and started again empty while people sign in, open their profiles, rename themselves and create tokens', () => {
  it('answers every request with what people hope for, a 503 in words, or a request to sign in again: never a 500, never a broken connection', () => {
    const unexpected = load.answers.filter((a) => !a.succeeded && !unavailableInWords(a) && !(a.startedAt >= at.down && askedToSignInAgain(a)));
    expect({ answers: listAnswers(unexpected, at.began), logged: unhandledErrors(stage.app) }).toEqual({ answers: '', logged: [] });
  });

  it('answers with the 503 page or JSON error every request while Redis is down (sessions and limits live there)', () => {
    const outage = duringOutage(load.answers).filter((a) => a.kind !== 'healthz');
    expect(outage.length).toBeGreaterThan(10);
    expect(listAnswers(outage.filter((a) => !unavailableInWords(a)), at.began)).toBe('');
    for (const kind of ['sign-in page', 'profile page', 'readyz'] as const) expect(outage.some((a) => a.kind === kind)).toBe(true);
  });

  it('refuses every sign-in attempt while Redis is down with a 503 in words: the limits cannot be counted, so nobody gets past them', () => {
    expect(attemptsWhileDown.map(({ what, reply }) => [what, reply.status])).toEqual([
      ['the right password, on a form shown before', 503],
      ['a wrong password, on a form shown before', 503],
      ['HTTP Basic on the API', 503],
    ]);
    expect(attemptsWhileDown[0]?.reply.text).toContain('The service is briefly unavailable');
    expect(JSON.parse(attemptsWhileDown[2]?.reply.text ?? '{}')).toEqual({ error: { code: 'service_unavailable', message: 'The service is briefly unavailable. Please try again in a moment.' } });
  });

  it('answers every request within the configured timeout (and a margin for a busy machine)', () => expectEveryAnswerInTime(load, at.began));

  it('says /readyz is unavailable (503) and /healthz is up (200) throughout the outage', () => expectProbesThroughOutage(duringOutage(load.answers), 'redis'));

  it('serves every kind of request again within five seconds of Redis answering, without a restart of the app', () => expectEveryKindServedAgain(load, stage, at.back));

  it.each(['en', 'de', 'sr'] as const)('asks a person (%s) whose session was lost with Redis to sign in again, saying why, and brings them back to their page', async (language) => {
    const { browser } = returning.find((person) => person.language === language) as (typeof returning)[number];
    const profile = await browser.get(stage.origin, '/profile/account');
    expect([profile.status, profile.location]).toEqual([303, '/login?next=%2Fprofile%2Faccount']);
    const signInPage = await browser.get(stage.origin, profile.location as string);
    expect(signInPage.status).toBe(200);
    expect(signInPage.text).toContain(SESSION_ENDED[language]);
    expect(csrfTokenIn(signInPage.text)).toBeTruthy();
  });

  it('stores every change it confirmed and none it refused, row by row: names, tokens and their activity entries', async () => {
    await expectChangesKeptAsAnswered(db, load, stage.accounts.slice(0, 4));
  });

  it('confirms a change it stored although Redis died before the session could be saved after it, and logs that in its JSON log', async () => {
    const account = stage.accounts[8] as LoadAccount;
    const logBefore = stage.app.log().length;
    const browser = await signIn(account);
    const csrf = csrfTokenIn((await browser.get(stage.origin, '/profile/account')).text);
    // The change waits for the database while Redis dies; then it is stored, and the session
    // (with the "saved" message) can no longer be.
    stage.postgres.pause();
    let answer: Promise<Reply>;
    try {
      answer = browser.post(stage.origin, '/profile/account/name', { _csrf: csrf, first_name: 'Grace', last_name: 'Hopper' });
      await pause(500);
      await stage.redis.kill();
    } finally {
      stage.postgres.resume();
    }
    try {
      const res = await answer;
      expect([res.status, res.location]).toEqual([303, '/profile/account']);
      expect(await db('users').where({ id: account.id }).first('first_name', 'last_name')).toEqual({ first_name: 'Grace', last_name: 'Hopper' });
      // The failed save is reported after the answer went out: its log line may follow it by a moment.
      const logged = /failed after the answer was sent.*\/profile\/account\/name|\/profile\/account\/name.*failed after the answer was sent/;
      const lines = () => stage.app.log().slice(logBefore).split('\n').filter(Boolean);
      for (let i = 0; i < 50 && !lines().some((line) => logged.test(line)); i++) await pause(100);
      expect(lines().filter((line) => !line.startsWith('{'))).toEqual([]);
      expect(lines()).toEqual(expect.arrayContaining([expect.stringMatching(logged)]));
    } finally {
      await stage.redis.startAgain();
    }
  });
});
