/**
 * Sessions at scale (npm run bench:sessions). Seeds sessions in Redis in the service's
 * own format (through RedisSessionStore.set), then measures listing one user's sessions
 * and the whole /profile/sessions page for users with 1, 10 and 100 sessions, in a world
 * of 10,000 sessions and in one of 1,000,000 over 100,000 users. The cost must not grow
 * with other people's sessions: p99(1M) / p99(10k) should stay at or below 1.2, and Redis
 * should hold a session, its per-user index entry included, in at most 700 bytes.
 *
 * Both worlds are built side by side, in the Redis database of BENCH_REDIS_URL (default
 * redis://127.0.0.1:6379, database 0) and the next one, with the measured users' sessions
 * in both; SWAPDB switches the service between them in O(1). Each person is measured in
 * both worlds back to back, the first world alternating by round, so a slow minute on a small
 * machine hurts both alike instead of deciding the ratio. The next database must be empty; everything is removed afterwards.
 * Results: bench/results/sessions-<date>-<commit>.json, so a result names the code it measured.
 * BENCH_QUICK=1 is a look in well under a minute (worlds of 2,000 and 50,000 sessions, fewer
 * runs), saved under bench/results/quick/ (git-ignored): never a baseline.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import signature from 'cookie-signature';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { closeDeps, createDeps } from '../src/deps';
import { createLogger } from '../src/infra/logger';
import { connectRedis, createRedis } from '../src/infra/redis';
import type { RedisSessionStore } from '../src/infra/session-store/redis-session-store';
import { median, percentile, QUICK, round, saveResult } from './lib/report';
import { BENCH_SESSION_SECRET, BENCH_USER_AGENT as USER_AGENT, BULK_TIMEOUTS, newSid, sessionData } from './seed-sessions';

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SMALL_TOTAL = Number(process.env.BENCH_SMALL_TOTAL ?? (QUICK ? 2_000 : 10_000));
const LARGE_TOTAL = Number(process.env.BENCH_LARGE_TOTAL ?? (QUICK ? 50_000 : 1_000_000));
const LARGE_USERS = Number(process.env.BENCH_LARGE_USERS ?? LARGE_TOTAL / 10);
const LIST_RUNS = Number(process.env.BENCH_LIST_RUNS ?? (QUICK ? 300 : 10_000));
const PAGE_RUNS = Number(process.env.BENCH_PAGE_RUNS ?? (QUICK ? 30 : 1000));
/** Warm-up before each measurement: a twentieth of the runs. */
const WARM_UP_LISTS = Math.ceil(LIST_RUNS / 20);
const WARM_UP_PAGES = Math.ceil(PAGE_RUNS / 20);
const SIZES = [1, 10, 100];
/** Each figure is measured in this many rounds per world and the median round reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 3 : 5));
/** How long Redis is given to finish rehashing the grown keyspace before anything is measured. */
const SETTLE_MS = QUICK ? 2_000 : 15_000;
const TARGET_BYTES_PER_SESSION = 700;
const TARGET_P99_RATIO = 1.2;

/** The same server, another logical database. */
function withDatabase(url: string, db: number): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}
const SMALL_DB = Number(new URL(REDIS_URL).pathname.slice(1) || 0);
const LARGE_DB = SMALL_DB + 1;

const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);

/** Seeding runs in a child process, so that this process's heap is the same in both phases. */
function seed(url: string, prefix: string, sessions: number, users: number, firstUser: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'seed-sessions.ts'), url, prefix, String(sessions), String(users), String(firstUser)], { stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seeding failed (${code})`))));
  });
}

function get(port: number, urlPath: string, cookie: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    http
      .get({ host: '127.0.0.1', port, path: urlPath, agent, headers: { cookie, 'user-agent': USER_AGENT, accept: 'text/html' } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - started) / 1e6) : reject(new Error(`status ${res.statusCode}`))));
      })
      .on('error', reject);
  });
}

async function main(): Promise<void> {
  const prefix = `bench${crypto.randomBytes(3).toString('hex')}:`;
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', REDIS_URL, REDIS_KEY_PREFIX: prefix, BCRYPT_COST: '4', SESSION_SECRET: BENCH_SESSION_SECRET });
  const deps = await createDeps(config, { embeddedInMemory: true, breached: { has: () => false, size: 0 } });
  for (let i = 0; i < 100 && !deps.redis?.isReady; i++) await new Promise((r) => setTimeout(r, 50));
  // The benchmark runs on one Redis server (REDIS_URL), whose whole client it uses.
  const redis = deps.redis as ReturnType<typeof createRedis> | undefined;
  if (!redis?.isReady) throw new Error(`Redis at ${REDIS_URL} is not reachable`);
  const store = deps.sessions as RedisSessionStore;
  const { app, repos } = createApp(deps);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  const other = createRedis(withDatabase(REDIS_URL, LARGE_DB), createLogger('silent'), BULK_TIMEOUTS);
  await connectRedis(other, createLogger('silent'), BULK_TIMEOUTS.connectMs);
  if (!other.isReady) throw new Error(`Redis database ${LARGE_DB} is not reachable`);
  if ((await other.dbSize()) > 0) throw new Error(`Redis database ${LARGE_DB} must be empty: the benchmark swaps it with database ${SMALL_DB}`);
  const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);

  // The measured people: real accounts with 1, 10 and 100 sessions each, in both worlds.
  const measured: Array<{ size: number; userId: string; cookie: string }> = [];
  for (const size of SIZES) {
    const user = await repos.users.insert({ username: `bench${size}`, email: `bench${size}@example.com`, firstName: 'Bench', lastName: `${size}`, passwordHash: null, language: 'en', theme: null, now: new Date() });
    let cookie = '';
    for (let i = 0; i < size; i++) {
      const sid = newSid(user.id);
      await store.set(sid, sessionData(user.id, Date.now()));
      if (i === 0) cookie = `sid=s:${signature.sign(sid, config.sessionSecret)}`;
    }
    measured.push({ size, userId: user.id, cookie });
  }
  for await (const batch of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
    for (const key of batch) await redis.sendCommand(['COPY', key, key, 'DB', String(LARGE_DB)]);
  }
  const measuredSessions = SIZES.reduce((a, b) => a + b, 0);
  let swapped = false;
  const swap = async () => {
    await redis.sendCommand(['SWAPDB', String(SMALL_DB), String(LARGE_DB)]);
    swapped = !swapped;
  };

  async function measureOnce(m: (typeof measured)[number]) {
    for (let i = 0; i < WARM_UP_LISTS; i++) await store.listByUser(m.userId);
    for (let i = 0; i < WARM_UP_PAGES; i++) await get(port, '/profile/sessions', m.cookie, agent);
    const list: number[] = [];
    for (let i = 0; i < LIST_RUNS; i++) {
      const started = process.hrtime.bigint();
      const sessions = await store.listByUser(m.userId);
      list.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (sessions.length !== m.size) throw new Error(`expected ${m.size} sessions, listed ${sessions.length}`);
    }
    const page: number[] = [];
    for (let i = 0; i < PAGE_RUNS; i++) page.push(await get(port, '/profile/sessions', m.cookie, agent));
    return { listP50: percentile(list, 50), listP99: percentile(list, 99), pageP50: percentile(page, 50), pageP99: percentile(page, 99) };
  }

  async function measureBoth() {
    const rounds: Record<'small' | 'large', Array<Array<Awaited<ReturnType<typeof measureOnce>>>>> = { small: [], large: [] };
    for (let r = 0; r < ROUNDS; r++) {
      const results = { small: [] as Array<Awaited<ReturnType<typeof measureOnce>>>, large: [] as Array<Awaited<ReturnType<typeof measureOnce>>> };
      // Each person is measured in both worlds back to back, the first world alternating by round,
      // so that a neighbour's busy minute on a shared machine lands on both figures of a pair.
      for (const m of measured) {
        for (const world of r % 2 === 0 ? (['small', 'large'] as const) : (['large', 'small'] as const)) {
          if ((world === 'large') !== swapped) await swap();
          (globalThis as { gc?: () => void }).gc?.();
          results[world].push(await measureOnce(m));
        }
      }
      rounds.small.push(results.small);
      rounds.large.push(results.large);
      console.log(`  round ${r + 1} of ${ROUNDS} done`);
    }
    if (swapped) await swap();
    return (['small', 'large'] as const).flatMap((world) =>
      measured.map((m, i) => {
        const of = (pick: (x: Awaited<ReturnType<typeof measureOnce>>) => number) => round(median(rounds[world].map((x) => pick(x[i] as Awaited<ReturnType<typeof measureOnce>>))));
        const row = { scale: label(world === 'small' ? SMALL_TOTAL : LARGE_TOTAL), sessionsOfUser: m.size, listP50: of((x) => x.listP50), listP99: of((x) => x.listP99), pageP50: of((x) => x.pageP50), pageP99: of((x) => x.pageP99) };
        console.log(`  ${row.scale.padEnd(4)} user with ${String(m.size).padStart(3)} sessions: list p50 ${row.listP50} ms, p99 ${row.listP99} ms; page p50 ${row.pageP50} ms, p99 ${row.pageP99} ms`);
        return row;
      }),
    );
  }

  try {
    console.log(`Seeding ${SMALL_TOTAL.toLocaleString('en')} sessions in database ${SMALL_DB}...`);
    await seed(withDatabase(REDIS_URL, SMALL_DB), prefix, SMALL_TOTAL - measuredSessions, Math.max(1, Math.round(SMALL_TOTAL / 10)), 0);
    console.log(`Seeding ${LARGE_TOTAL.toLocaleString('en')} sessions over ${LARGE_USERS.toLocaleString('en')} users in database ${LARGE_DB}...`);
    const memoryBefore = await usedMemory();
    await seed(withDatabase(REDIS_URL, LARGE_DB), prefix, LARGE_TOTAL - measuredSessions, LARGE_USERS, 1_000_000);
    // Let Redis finish rehashing its grown keyspace, as it would long before anyone looks.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const keys = await other.dbSize();
    const bytesPerSession = Math.round(((await usedMemory()) - memoryBefore) / (LARGE_TOTAL - measuredSessions));
    console.log(`Measuring, ${ROUNDS} rounds alternating between the worlds...`);
    const rows = await measureBoth();
    const small = rows.filter((r) => r.scale === label(SMALL_TOTAL));
    const large = rows.filter((r) => r.scale === label(LARGE_TOTAL));

    const ratios = SIZES.map((size) => {
      const a = small.find((r) => r.sessionsOfUser === size);
      const b = large.find((r) => r.sessionsOfUser === size);
      return { sessionsOfUser: size, listP99Ratio: round((b?.listP99 ?? 0) / (a?.listP99 ?? 1)), pageP99Ratio: round((b?.pageP99 ?? 0) / (a?.pageP99 ?? 1)) };
    });
    const worst = Math.max(...ratios.flatMap((r) => [r.listP99Ratio, r.pageP99Ratio]));
    const result = {
      redis: { keysInLargeWorld: keys, bytesPerSession, targetBytesPerSession: TARGET_BYTES_PER_SESSION },
      totals: { small: SMALL_TOTAL, large: LARGE_TOTAL, largeUsers: LARGE_USERS },
      runs: { list: LIST_RUNS, page: PAGE_RUNS, rounds: ROUNDS, method: 'both worlds in the same Redis (SWAPDB), each person measured in both back to back, the first world alternating by round, median of the rounds reported' },
      results: rows,
      ratios,
      worstP99Ratio: worst,
      targetP99Ratio: TARGET_P99_RATIO,
      pass: worst <= TARGET_P99_RATIO && bytesPerSession <= TARGET_BYTES_PER_SESSION,
    };
    console.log(`\nRedis memory per session (including the per-user index): ${bytesPerSession} bytes (target: at most ${TARGET_BYTES_PER_SESSION})`);
    for (const r of ratios) console.log(`p99(${label(LARGE_TOTAL)})/p99(${label(SMALL_TOTAL)}), user with ${r.sessionsOfUser}: list ${r.listP99Ratio}, page ${r.pageP99Ratio}`);
    console.log(`Worst ratio ${worst} (target: at most ${TARGET_P99_RATIO}): ${result.pass ? 'PASS' : 'FAIL'}`);
    saveResult('sessions', result);
    process.exitCode = result.pass ? 0 : 1;
  } finally {
    console.log('Removing the benchmark keys...');
    if (swapped) await swap();
    for (const client of [redis, other]) {
      for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 5000 })) if (batch.length) await client.unlink(batch);
    }
    await other.close();
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
    await closeDeps(deps);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
