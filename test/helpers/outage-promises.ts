import { durationOf, pause, REQUEST_KINDS, type Answer, type ProfileLoad } from './load-driver';
import { BACKEND_TIMEOUTS, listAnswers, LONGEST_ANSWER_MS, timings, type OutageStage } from './outage-stage';

/** The promise: this long after a back-end answers again, every kind of request succeeds, without restarting the app. */
export const RECOVERY_MS = 5000;

/** No request waited longer than the configured back-end timeouts allow (with a margin for a busy machine). */
export function expectEveryAnswerInTime(load: ProfileLoad, began: number): void {
  const slow = load.answers.filter((a) => durationOf(a) > LONGEST_ANSWER_MS);
  expect(listAnswers(slow, began)).toBe('');
}

/** While `check` was down, /readyz said so with a 503 and /healthz stayed 200. */
export function expectProbesThroughOutage(duringOutage: Answer[], check: 'database' | 'redis'): void {
  const ready = duringOutage.filter((a) => a.kind === 'readyz');
  const healthy = duringOutage.filter((a) => a.kind === 'healthz');
  expect(ready.length).toBeGreaterThan(3);
  expect(ready.map((a) => [a.status, (JSON.parse(a.text) as { checks: Record<string, string> }).checks[check]])).toEqual(ready.map(() => [503, 'unavailable']));
  expect(healthy.map((a) => a.status)).toEqual(healthy.map(() => 200));
}

/** Every kind of request succeeded within RECOVERY_MS of the back-end answering at `back`, by the same app process. */
export function expectEveryKindServedAgain(load: ProfileLoad, stage: OutageStage, back: number): void {
  const firsts = load.firstSuccessesAfter(back);
  for (const kind of REQUEST_KINDS) {
    const first = firsts.get(kind);
    expect([kind, first ? first.endedAt - back : 'never']).toEqual([kind, expect.any(Number)]);
    expect(first && first.endedAt - back).toBeLessThanOrEqual(RECOVERY_MS);
  }
  expect(stage.app.child.exitCode).toBeNull();
}

/** Date.now() when the load started, the back-end went down, was being started again, and answered again. */
export interface OutageTimes {
  began: number;
  down: number;
  restarting: number;
  back: number;
}

export interface Outage {
  /** What the back-end is called in the report, and how it was broken ("PostgreSQL stopped (-m immediate)"). */
  name: string;
  broken: string;
  outageMs: number;
  breakIt(): Promise<void>;
  restore(): Promise<void>;
  /** What else happens while the back-end is down, after a second of it. */
  whileDown?(): Promise<void>;
}

/**
 * Runs the load until every kind of request succeeds, breaks the back-end, keeps it down
 * for `outageMs`, restores it and runs on until every kind succeeds again; then prints
 * what was measured.
 */
export async function loadThroughOutage(load: ProfileLoad, outage: Outage): Promise<OutageTimes> {
  const at: OutageTimes = { began: Date.now(), down: 0, restarting: 0, back: 0 };
  load.start();
  try {
    await load.untilEveryKindSucceeds(at.began, 60_000);
    await pause(1000);
    await outage.breakIt();
    at.down = Date.now();
    if (outage.whileDown) {
      await pause(1000);
      await outage.whileDown();
    }
    await pause(outage.outageMs - (Date.now() - at.down));
    at.restarting = Date.now();
    await outage.restore();
    at.back = Date.now();
    await load.untilEveryKindSucceeds(at.back, 30_000);
    await pause(1000);
  } finally {
    await load.stop();
  }
  report(load, outage, at);
  return at;
}

/** Answers to requests sent after the back-end went down and answered before it was started again. */
export const answeredDuringOutage = (answers: Answer[], at: OutageTimes) => answers.filter((a) => a.startedAt >= at.down && a.endedAt <= at.restarting);

function report(load: ProfileLoad, outage: Outage, at: OutageTimes): void {
  const recovery = Object.fromEntries([...load.firstSuccessesAfter(at.back)].map(([kind, answer]) => [kind, `${answer.endedAt - at.back} ms`]));
  const during = answeredDuringOutage(load.answers, at);
  const byKind = Object.fromEntries(REQUEST_KINDS.map((kind) => [kind, timings(during.filter((a) => a.kind === kind))]));
  console.log(
    `${outage.broken} for ${at.restarting - at.down} ms; it took ${at.back - at.restarting} ms to answer again.\n` +
      `Requests: ${load.answers.length}; timeouts: ${JSON.stringify(BACKEND_TIMEOUTS)}.\n` +
      `Answers during the outage, by kind: ${JSON.stringify(byKind)}\n` +
      `First success after ${outage.name} answered again, by kind: ${JSON.stringify(recovery)}`,
  );
}
