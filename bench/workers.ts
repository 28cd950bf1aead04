/**
 * Workers (npm run bench:workers): the page benchmark's service side with WEB_CONCURRENCY=1
 * and =2, both running, rounds alternating; prints how much the second worker adds and,
 * from /proc, who used the machine's CPU meanwhile (the service, this load generator,
 * PostgreSQL, Redis), which is what limits it.
 */
import { cpuShares, describeShares } from './lib/cpu';
import { alternate, type LoadResult } from './lib/load';
import { signedInService } from './lib/page-load';
import { knob, median, round, saveResult } from './lib/report';

const CLIENTS = knob('BENCH_PAGE_CONCURRENCY', 32, 32);
const ROUND_MS = knob('BENCH_ROUND_MS', 10_000, 3_000);
const ROUNDS = knob('BENCH_ROUNDS', 3, 1);

type Measured = LoadResult & { shares: Record<string, number> };

async function main(): Promise<void> {
  const one = await signedInService(CLIENTS, { extra: { WEB_CONCURRENCY: '1' } });
  const two = await signedInService(CLIENTS, { extra: { WEB_CONCURRENCY: '2' } });
  try {
    await one.round(1000);
    await two.round(1000);
    console.log(`/profile/account, ${CLIENTS} clients, ${ROUNDS} x ${ROUND_MS / 1000} s per side, alternating`);
    const measure = (side: typeof one) => async (): Promise<Measured> => {
      const { result, shares } = await cpuShares(() => side.service.pids(), () => side.round(ROUND_MS));
      return { ...result, shares };
    };
    const rounds = await alternate<Measured>(
      ROUNDS,
      [
        { name: 'workers1', run: measure(one) },
        { name: 'workers2', run: measure(two) },
      ],
      (name, r) => console.log(`  ${name} ${r.perSecond} req/s, p99 ${r.p99} ms; CPU: ${describeShares(r.shares)}`),
    );
    const summary = (name: string) => {
      const list = rounds[name] ?? [];
      const share = (key: string) => median(list.map((r) => r.shares[key] ?? 0));
      return { perSecond: median(list.map((r) => r.perSecond)), p99: median(list.map((r) => r.p99)), cpu: { service: share('service'), loadGenerator: share('loadGenerator'), postgres: share('postgres'), redis: share('redis'), everythingElse: share('everythingElse') } };
    };
    const [w1, w2] = [summary('workers1'), summary('workers2')];
    const ratio = round(w2.perSecond / w1.perSecond);
    const busy = round(Object.values(w2.cpu).reduce((a, b) => a + b, 0));
    const limit =
      busy >= 0.9
        ? `the machine is full (${Math.round(busy * 100)}% of all cores busy with two workers): the load generator (${Math.round(w2.cpu.loadGenerator * 100)}%), PostgreSQL (${Math.round(w2.cpu.postgres * 100)}%), Redis (${Math.round(w2.cpu.redis * 100)}%) and everything else on the machine (${Math.round(w2.cpu.everythingElse * 100)}%) share the cores the second worker would use`
        : `the cores are not full (${Math.round(busy * 100)}% busy): the limit is waiting (the database, Redis, or the load generator's concurrency)`;
    console.log(`\nTwo workers serve ${ratio} x the requests of one; ${limit}.`);
    saveResult('workers', { page: '/profile/account', settings: { clients: CLIENTS, roundMs: ROUND_MS, rounds: ROUNDS }, rounds, workers1: w1, workers2: w2, ratio, limit });
  } finally {
    await one.stop();
    await two.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
