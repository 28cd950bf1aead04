import type { Db } from '../../src/infra/db';
import { durationOf, pause, ProfileLoad, REQUEST_KINDS, type Answer } from '../helpers/load-driver';
import { BACKEND_TIMEOUTS, listAnswers, LONGEST_ANSWER_MS, startOutageStage, timings, unavailableInWords, unhandledErrors, type OutageStage } from '../helpers/outage-stage';
import { expectChangesKeptAsAnswered } from '../helpers/outage-rows';

// Starting PostgreSQL, Redis and the app on a busy machine takes a while; the run itself about half a minute.
jest.setTimeout(240_000);

const OUTAGE_MS = 5000;
/** The promise: this long after PostgreSQL answers again, every kind of request succeeds, without restarting the app. */
const RECOVERY_MS = 5000;

let stage: OutageStage;
let load: ProfileLoad;
let db: Db;
/** Date.now() when the load started, PostgreSQL was down (port closed), was being started again, and answered again. */
const at = { began: 0, down: 0, restarting: 0, back: 0 };

beforeAll(async () => {
  stage = await startOutageStage(4);
  load = new ProfileLoad(stage.origin, { accounts: stage.accounts, pauseMs: 100, patienceMs: 20_000 });
  at.began = Date.now();
  load.start();
  try {
    await load.untilEveryKindSucceeds(at.began, 60_000);
    await pause(1000);
    await stage.postgres.stopImmediately();
    at.down = Date.now();
    await pause(OUTAGE_MS);
    at.restarting = Date.now();
    await stage.postgres.startAgain();
    at.back = Date.now();
    await load.untilEveryKindSucceeds(at.back, 30_000);
    await pause(1000);
  } finally {
    await load.stop();
  }
  db = stage.openDb();
  report();
}, 240_000);

afterAll(async () => {
  await db?.destroy();
  await stage?.close();
});

/** Answers to requests sent after PostgreSQL was down and answered before it was started again. */
const duringOutage = (answers: Answer[]) => answers.filter((a) => a.startedAt >= at.down && a.endedAt <= at.restarting);

function report(): void {
  const recovery = Object.fromEntries([...load.firstSuccessesAfter(at.back)].map(([kind, answer]) => [kind, `${answer.endedAt - at.back} ms`]));
  const outage = Object.fromEntries(REQUEST_KINDS.map((kind) => [kind, timings(duringOutage(load.answers).filter((a) => a.kind === kind))]));
  console.log(
    `PostgreSQL stopped (-m immediate) for ${at.restarting - at.down} ms; it took ${at.back - at.restarting} ms to answer again.\n` +
      `Requests: ${load.answers.length}; timeouts: ${JSON.stringify(BACKEND_TIMEOUTS)}.\n` +
      `Answers during the outage, by kind: ${JSON.stringify(outage)}\n` +
      `First success after PostgreSQL answered again, by kind: ${JSON.stringify(recovery)}`,
  );
}

describe('PostgreSQL stopped at once (pg_ctl stop -m immediate) for five seconds while people sign in, open their profiles, rename themselves and create tokens', () => {
  it('answers every request with what people hope for or a 503 in words: never a 500, never a broken connection', () => {
    const unexpected = load.answers.filter((a) => !a.succeeded && !unavailableInWords(a));
    expect({ answers: listAnswers(unexpected, at.began), logged: unhandledErrors(stage.app) }).toEqual({ answers: '', logged: [] });
  });

  it('answers with the 503 page or JSON error every request that needs the database while it is down', () => {
    const outage = duringOutage(load.answers);
    // The sign-in page needs only the session store (Redis), which is still there.
    const needingDatabase = outage.filter((a) => a.kind !== 'sign-in page' && a.kind !== 'healthz');
    expect(needingDatabase.length).toBeGreaterThan(10);
    expect(listAnswers(needingDatabase.filter((a) => !unavailableInWords(a)), at.began)).toBe('');
    for (const kind of ['sign-in', 'profile page', 'name change', 'token creation', 'readyz'] as const) expect(needingDatabase.some((a) => a.kind === kind)).toBe(true);
  });

  it('answers every request within the configured timeout (and a margin for a busy machine)', () => {
    const slow = load.answers.filter((a) => durationOf(a) > LONGEST_ANSWER_MS);
    expect(listAnswers(slow, at.began)).toBe('');
  });

  it('says /readyz is unavailable (503) and /healthz is up (200) throughout the outage', () => {
    const probes = duringOutage(load.answers);
    const ready = probes.filter((a) => a.kind === 'readyz');
    const healthy = probes.filter((a) => a.kind === 'healthz');
    expect(ready.length).toBeGreaterThan(3);
    expect(ready.map((a) => [a.status, (JSON.parse(a.text) as { checks: Record<string, string> }).checks.database])).toEqual(ready.map(() => [503, 'unavailable']));
    expect(healthy.map((a) => a.status)).toEqual(healthy.map(() => 200));
  });

  it('serves every kind of request again within five seconds of PostgreSQL answering, without a restart of the app', () => {
    const firsts = load.firstSuccessesAfter(at.back);
    for (const kind of REQUEST_KINDS) {
      const first = firsts.get(kind);
      expect([kind, first ? first.endedAt - at.back : 'never']).toEqual([kind, expect.any(Number)]);
      expect(first && first.endedAt - at.back).toBeLessThanOrEqual(RECOVERY_MS);
    }
    expect(stage.app.child.exitCode).toBeNull();
  });

  it('stores every change it confirmed and none it refused, row by row: names, tokens and their activity entries', async () => {
    await expectChangesKeptAsAnswered(db, load, stage.accounts);
  });
});
