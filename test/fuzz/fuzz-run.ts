import fc from 'fast-check';

/**
 * The run's size and seed: FUZZ_RUNS cases in all (10,000 by default, what CI runs), shared
 * by the fuzz files in proportion; FUZZ_SEED replays a run (each file prints the one it used).
 */
export function fuzzSettings(file: string, share: number): { seed: number; numRuns: number } {
  const total = Number(process.env.FUZZ_RUNS ?? 10_000);
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
  const numRuns = Math.max(1, Math.round(total * share));
  console.log(`${file}: ${numRuns} cases, seed ${seed} (replay with FUZZ_SEED=${seed} FUZZ_RUNS=${total})`);
  return { seed, numRuns };
}

/** A value of a counterexample, readable: long strings and buffers cut, functions left out. */
function readable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'function') return undefined;
    if (typeof v === 'string' && v.length > 160) return `${v.slice(0, 160)}… (${v.length} characters)`;
    if (v instanceof Uint8Array) return `<${v.length} bytes>`;
    if (typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'Buffer') return `<${((v as { data?: unknown[] }).data ?? []).length} bytes>`;
    return v;
  });
}

/** Cases sent at once: the server waits on PostgreSQL and Redis, so a few in flight keep both cores busy. */
export const LANES = 16;

/**
 * Runs `numRuns` cases against a live server, LANES at a time (lane `i` is the i-th of the
 * batch, so each lane can keep its own browser): the first failure ends the run (shrinking
 * would replay cases against a server whose state has moved on) and is reported with the
 * seed, the path to replay it and the batch, its long values cut.
 */
export async function checkCases<T>(arbitrary: fc.Arbitrary<T>, run: (value: T, lane: number) => Promise<void>, settings: { seed: number; numRuns: number }): Promise<void> {
  const batch = fc.array(arbitrary, { minLength: LANES, maxLength: LANES });
  const property = fc.asyncProperty(batch, async (values) => {
    const outcomes = await Promise.allSettled(values.map((value, lane) => run(value, lane)));
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  });
  const details = await fc.check(property, { seed: settings.seed, numRuns: Math.ceil(settings.numRuns / LANES), endOnFailure: true });
  if (!details.failed) return;
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(`Failed in batch ${details.numRuns} of ${LANES} cases (FUZZ_SEED=${details.seed}, path ${details.counterexamplePath ?? '?'}): ${cause.slice(0, 2000)}\nCounterexample: ${readable(details.counterexample?.[0]).slice(0, 6000)}`);
}
