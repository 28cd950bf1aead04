import { percentile, round } from './report';

export interface LoadResult {
  /** Completed iterations per second over the round. */
  perSecond: number;
  count: number;
  errors: number;
  p50: number;
  p99: number;
}

/**
 * A closed loop: `concurrency` clients, each starting its next iteration when the last one
 * ends, for `durationMs`; as a crowd of browsers behaves, not an open-loop firehose.
 * Latency is measured per iteration (an iteration may be several requests).
 */
export async function closedLoop(options: { concurrency: number; durationMs: number; iteration: (client: number) => Promise<void> }): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: unknown;
  const started = performance.now();
  const until = started + options.durationMs;
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, client) => {
      while (performance.now() < until) {
        const t0 = performance.now();
        try {
          await options.iteration(client);
          latencies.push(performance.now() - t0);
        } catch (err) {
          errors++;
          firstError ??= err;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  if (errors > 0) console.log(`  ${errors} failed iterations, the first: ${String(firstError)}`);
  return { perSecond: round(latencies.length / elapsed, 2), count: latencies.length, errors, p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)) };
}

/** Rounds alternate A B A B, so a slow minute on a small machine hurts both sides alike. */
export async function alternate<T>(rounds: number, sides: Array<{ name: string; run: () => Promise<T> }>, onRound?: (name: string, result: T) => void): Promise<Record<string, T[]>> {
  const results: Record<string, T[]> = Object.fromEntries(sides.map((side) => [side.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const side of sides) {
      const result = await side.run();
      results[side.name]?.push(result);
      onRound?.(side.name, result);
    }
  }
  return results;
}
