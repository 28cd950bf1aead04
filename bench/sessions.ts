/**
 * Sessions at scale (npm run bench:sessions). Seeds sessions in Redis in the service's
 * own format (through RedisSessionStore.set), then measures listing one user's sessions
 * and the whole /profile/sessions page for users with 1, 10 and 100 sessions: first with
 * 10,000 sessions in Redis, then with 1,000,000 over 100,000 users. The cost must not grow
 * with other people's sessions: p99(1M) / p99(10k) should stay at or below 1.5.
 *
 * Needs a Redis to fill (BENCH_REDIS_URL, default redis://127.0.0.1:6379); keys go under
 * a fresh prefix and are removed afterwards. Results: bench/results/sessions-<date>.json.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { SessionData } from 'express-session';
import signature from 'cookie-signature';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { closeDeps, createDeps } from '../src/deps';
import type { RedisSessionStore } from '../src/infra/session-store/redis-session-store';

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SMALL_TOTAL = Number(process.env.BENCH_SMALL_TOTAL ?? 10_000);
const LARGE_TOTAL = Number(process.env.BENCH_LARGE_TOTAL ?? 1_000_000);
const LARGE_USERS = Number(process.env.BENCH_LARGE_USERS ?? 100_000);
const LIST_RUNS = Number(process.env.BENCH_LIST_RUNS ?? 10_000);
const PAGE_RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 1000);
const SIZES = [1, 10, 100];
/** Each figure is measured in this many rounds and the median round reported, so one scheduler hiccup on a small machine does not decide the result. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const USER_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

function sessionData(userId: string, now: number): SessionData {
  return {
    cookie: { originalMaxAge: 30 * 60_000, expires: new Date(now + 30 * 60_000), httpOnly: true, path: '/', sameSite: 'lax', secure: false },
    csrfToken: crypto.randomBytes(32).toString('hex'),
    userId,
    createdAt: now,
    lastSeenAt: now,
    lastAuthAt: now,
    elevatedUntil: now + 10 * 60_000,
    authMethod: 'password',
    ip: `198.51.${(now >> 8) & 255}.${now & 255}`,
    userAgent: USER_AGENT,
  } as SessionData;
}

const newSid = () => crypto.randomBytes(24).toString('base64url');

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);

async function seed(store: RedisSessionStore, sessions: number, users: number, firstUser: number): Promise<void> {
  const now = Date.now();
  const batch = 2000;
  for (let start = 0; start < sessions; start += batch) {
    const work: Array<Promise<void>> = [];
    for (let i = start; i < Math.min(sessions, start + batch); i++) {
      work.push(store.set(newSid(), sessionData(`bench-user-${firstUser + (i % users)}`, now)));
    }
    await Promise.all(work);
    if (start % 100_000 === 0 && start > 0) process.stdout.write(`  seeded ${start.toLocaleString('en')} sessions\n`);
  }
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
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', REDIS_URL, REDIS_KEY_PREFIX: prefix, BCRYPT_COST: '4' });
  const deps = await createDeps(config, { embeddedInMemory: true, breached: { has: () => false, size: 0 } });
  for (let i = 0; i < 100 && !deps.redis?.isReady; i++) await new Promise((r) => setTimeout(r, 50));
  const redis = deps.redis;
  if (!redis?.isReady) throw new Error(`Redis at ${REDIS_URL} is not reachable`);
  const store = deps.sessions as RedisSessionStore;
  const { app, services } = createApp(deps);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  const memoryBefore = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);

  // The measured people: real accounts with 1, 10 and 100 sessions each.
  const measured: Array<{ size: number; userId: string; cookie: string }> = [];
  for (const size of SIZES) {
    const user = await services.repos.users.insert({ username: `bench${size}`, email: `bench${size}@example.com`, firstName: 'Bench', lastName: `${size}`, passwordHash: null, language: 'en', theme: null, now: new Date() });
    let cookie = '';
    for (let i = 0; i < size; i++) {
      const sid = newSid();
      await store.set(sid, sessionData(user.id, Date.now()));
      if (i === 0) cookie = `sid=s:${signature.sign(sid, config.sessionSecret)}`;
    }
    measured.push({ size, userId: user.id, cookie });
  }
  const measuredSessions = SIZES.reduce((a, b) => a + b, 0);

  async function measure(scale: string) {
    // Seeding leaves garbage behind; collect it so that it does not land in the measurement.
    (globalThis as { gc?: () => void }).gc?.();
    const rows = [];
    for (const m of measured) {
      for (let i = 0; i < 500; i++) await store.listByUser(m.userId);
      for (let i = 0; i < 100; i++) await get(port, '/profile/sessions', m.cookie, agent);
      const rounds = [];
      for (let r = 0; r < ROUNDS; r++) {
        const list: number[] = [];
        for (let i = 0; i < LIST_RUNS; i++) {
          const started = process.hrtime.bigint();
          const sessions = await store.listByUser(m.userId);
          list.push(Number(process.hrtime.bigint() - started) / 1e6);
          if (sessions.length !== m.size) throw new Error(`expected ${m.size} sessions, listed ${sessions.length}`);
        }
        const page: number[] = [];
        for (let i = 0; i < PAGE_RUNS; i++) page.push(await get(port, '/profile/sessions', m.cookie, agent));
        rounds.push({ listP50: percentile(list, 50), listP99: percentile(list, 99), pageP50: percentile(page, 50), pageP99: percentile(page, 99) });
      }
      const row = {
        scale,
        sessionsOfUser: m.size,
        listP50: round(median(rounds.map((x) => x.listP50))),
        listP99: round(median(rounds.map((x) => x.listP99))),
        pageP50: round(median(rounds.map((x) => x.pageP50))),
        pageP99: round(median(rounds.map((x) => x.pageP99))),
      };
      rows.push(row);
      console.log(`  ${scale.padEnd(4)} user with ${String(m.size).padStart(3)} sessions: list p50 ${row.listP50} ms, p99 ${row.listP99} ms; page p50 ${row.pageP50} ms, p99 ${row.pageP99} ms`);
    }
    return rows;
  }

  try {
    console.log(`Seeding ${SMALL_TOTAL.toLocaleString('en')} sessions...`);
    await seed(store, SMALL_TOTAL - measuredSessions, Math.max(1, Math.round(SMALL_TOTAL / 10)), 0);
    const small = await measure(label(SMALL_TOTAL));

    console.log(`Seeding up to ${LARGE_TOTAL.toLocaleString('en')} sessions over ${LARGE_USERS.toLocaleString('en')} users...`);
    await seed(store, LARGE_TOTAL - SMALL_TOTAL, LARGE_USERS, 1_000_000);
    // Let Redis finish rehashing its grown keyspace, as it would long before anyone looks.
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    const keys = await redis.dbSize();
    const memoryAfter = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
    const bytesPerSession = Math.round((memoryAfter - memoryBefore) / LARGE_TOTAL);
    const large = await measure(label(LARGE_TOTAL));

    const ratios = SIZES.map((size) => {
      const a = small.find((r) => r.sessionsOfUser === size);
      const b = large.find((r) => r.sessionsOfUser === size);
      return { sessionsOfUser: size, listP99Ratio: round((b?.listP99 ?? 0) / (a?.listP99 ?? 1)), pageP99Ratio: round((b?.pageP99 ?? 0) / (a?.pageP99 ?? 1)) };
    });
    const worst = Math.max(...ratios.flatMap((r) => [r.listP99Ratio, r.pageP99Ratio]));
    const result = {
      benchmark: 'sessions',
      date: new Date().toISOString(),
      machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      redis: { keys, bytesPerSession, targetBytesPerSession: 1024 },
      totals: { small: SMALL_TOTAL, large: LARGE_TOTAL, largeUsers: LARGE_USERS },
      runs: { list: LIST_RUNS, page: PAGE_RUNS, rounds: ROUNDS, reported: 'median of the rounds' },
      results: [...small, ...large],
      ratios,
      worstP99Ratio: worst,
      targetP99Ratio: 1.5,
      pass: worst <= 1.5 && bytesPerSession <= 1024,
    };
    console.log(`\nRedis memory per session (including the per-user index): ${bytesPerSession} bytes (target: at most 1024)`);
    for (const r of ratios) console.log(`p99(${label(LARGE_TOTAL)})/p99(${label(SMALL_TOTAL)}), user with ${r.sessionsOfUser}: list ${r.listP99Ratio}, page ${r.pageP99Ratio}`);
    console.log(`Worst ratio ${worst} (target: at most 1.5): ${result.pass ? 'PASS' : 'FAIL'}`);
    const file = path.join(__dirname, 'results', `sessions-${result.date.slice(0, 10)}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`Saved ${path.relative(process.cwd(), file)}`);
    process.exitCode = result.pass ? 0 : 1;
  } finally {
    console.log('Removing the benchmark keys...');
    for await (const batch of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 5000 })) if (batch.length) await redis.unlink(batch);
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
    await closeDeps(deps);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
