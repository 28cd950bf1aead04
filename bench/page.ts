/**
 * A signed-in page under load (npm run bench:page): GET /profile/account by `clients`
 * signed-in browsers against the floor app (bench/floor-app.ts: bare Express +
 * express-session + the same Redis store + one read of the user by id + an EJS render of
 * the same HTML bytes), both on the same PostgreSQL and Redis, rounds alternating
 * service, floor, service, floor; medians reported.
 * Targets: req/s >= 0.80 x floor; p99 <= 1.3 x floor.
 * BENCH_PROFILE=1 runs the service under `node --cpu-prof` and prints where its time went
 * (bench/results/profiles/, git-ignored).
 */
import fs from 'node:fs';
import path from 'node:path';
import { alternate, type LoadResult } from './lib/load';
import { floorApp, PAGE, signedInService } from './lib/page-load';
import { summarizeProfiles } from './lib/profile';
import { knob, median, round, saveResult, verdict } from './lib/report';

const CLIENTS = knob('BENCH_PAGE_CONCURRENCY', 32, 32);
const ROUND_MS = knob('BENCH_ROUND_MS', 10_000, 3_000);
const ROUNDS = knob('BENCH_ROUNDS', 3, 1);
const PROFILE = process.env.BENCH_PROFILE === '1';
const PROFILE_DIR = path.join(__dirname, 'results', 'profiles', 'page');

async function main(): Promise<void> {
  if (PROFILE) fs.rmSync(PROFILE_DIR, { recursive: true, force: true });
  const service = await signedInService(CLIENTS, { nodeArgs: PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [] });
  let floor: Awaited<ReturnType<typeof floorApp>> | undefined;
  try {
    const html = (await (service.browsers[0] as NonNullable<(typeof service.browsers)[0]>).request('GET', PAGE)).body;
    floor = await floorApp(html, { username: 'bench0', email: 'bench0@example.com', firstName: 'Ana', lastName: 'Petrović 0' }, { databaseUrl: service.databaseUrl, ids: service.ids, secret: service.env.SESSION_SECRET as string, prefix: service.env.REDIS_KEY_PREFIX as string });
    const floorHtml = (await (floor.browsers[0] as NonNullable<(typeof floor.browsers)[0]>).request('GET', PAGE)).body;
    if (floorHtml !== html) throw new Error('the floor app must render the same bytes as the service');
    console.log(`${PAGE}: ${Buffer.byteLength(html)} bytes of HTML, ${CLIENTS} signed-in clients, ${ROUNDS} x ${ROUND_MS / 1000} s per side, alternating`);
    await service.round(1000);
    await floor.round(1000);
    const sides = { service, floor };
    const rounds = await alternate<LoadResult>(
      ROUNDS,
      Object.entries(sides).map(([name, side]) => ({ name, run: () => side.round(ROUND_MS) })),
      (name, r) => console.log(`  ${name.padEnd(7)} ${r.perSecond} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.errors} errors`),
    );
    const of = (name: string, pick: (r: LoadResult) => number) => median((rounds[name] ?? []).map(pick));
    const summary = {
      service: { perSecond: of('service', (r) => r.perSecond), p50: of('service', (r) => r.p50), p99: of('service', (r) => r.p99) },
      floor: { perSecond: of('floor', (r) => r.perSecond), p50: of('floor', (r) => r.p50), p99: of('floor', (r) => r.p99) },
    };
    const throughput = round(summary.service.perSecond / summary.floor.perSecond);
    const tail = round(summary.service.p99 / summary.floor.p99);
    console.log(`\nMedians: service ${summary.service.perSecond} req/s (p99 ${summary.service.p99} ms), floor ${summary.floor.perSecond} req/s (p99 ${summary.floor.p99} ms)`);
    const pass = [verdict('req/s / floor', throughput, '>= 0.80', throughput >= 0.8), verdict('p99 / floor p99', tail, '<= 1.3', tail <= 1.3)].every(Boolean);
    saveResult('page', { page: PAGE, htmlBytes: Buffer.byteLength(html), settings: { clients: CLIENTS, roundMs: ROUND_MS, rounds: ROUNDS, profiled: PROFILE }, rounds, ...summary, throughputRatio: throughput, p99Ratio: tail, targets: { throughputRatio: 0.8, p99Ratio: 1.3 }, pass });
    process.exitCode = pass ? 0 : 1;
  } finally {
    await floor?.stop();
    await service.stop();
  }
  if (PROFILE) summarizeProfiles(PROFILE_DIR);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
