import type { Db } from '../../src/infra/db';
import { ProfileLoad, type Answer } from '../helpers/load-driver';
import { listAnswers, startOutageStage, unavailableInWords, unhandledErrors, type OutageStage } from '../helpers/outage-stage';
import { answeredDuringOutage, expectEveryAnswerInTime, expectEveryKindServedAgain, expectProbesThroughOutage, loadThroughOutage, type OutageTimes } from '../helpers/outage-promises';
import { expectChangesKeptAsAnswered } from '../helpers/outage-rows';

// Starting PostgreSQL, Redis and the app on a busy machine takes a while; the run itself about half a minute.
jest.setTimeout(240_000);

const OUTAGE_MS = 5000;

let stage: OutageStage;
let load: ProfileLoad;
let db: Db;
let at: OutageTimes;

beforeAll(async () => {
  stage = await startOutageStage(4);
  load = new ProfileLoad(stage.origin, { accounts: stage.accounts, pauseMs: 100, patienceMs: 20_000 });
  at = await loadThroughOutage(load, {
    name: 'PostgreSQL',
    broken: 'PostgreSQL stopped (-m immediate)',
    outageMs: OUTAGE_MS,
    breakIt: () => stage.postgres.stopImmediately(),
    restore: () => stage.postgres.startAgain(),
  });
  db = stage.openDb();
}, 240_000);

afterAll(async () => {
  await db?.destroy();
  await stage?.close();
});

const duringOutage = (answers: Answer[]) => answeredDuringOutage(answers, at);

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

  it('answers every request within the configured timeout (and a margin for a busy machine)', () => expectEveryAnswerInTime(load, at.began));

  it('says /readyz is unavailable (503) and /healthz is up (200) throughout the outage', () => expectProbesThroughOutage(duringOutage(load.answers), 'database'));

  it('serves every kind of request again within five seconds of PostgreSQL answering, without a restart of the app', () => expectEveryKindServedAgain(load, stage, at.back));

  it('stores every change it confirmed and none it refused, row by row: names, tokens and their activity entries', async () => {
    await expectChangesKeptAsAnswered(db, load, stage.accounts);
  });
});
