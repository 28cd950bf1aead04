/**
 * Sign-ins under a flood (npm run bench:login). Clients at saturating concurrency each do
 * what a person signing in again on their own browser does: fetch /login (without a
 * session: only the device cookie is kept, as after signing out), then post their
 * credentials; a sign-in counts when the service answers with its redirect. (The first
 * sign-in of each browser is from a new device: a notice is mailed, as it should be.) The floor, measured in the same run:
 * the same stored hash checked by the same hasher at the same cost and concurrency, in a
 * process of its own with the same libuv pool size. Rounds alternate service, floor,
 * service, floor; medians are reported. While the service is flooded, a probe asks
 * GET /healthz every 25 ms: hashing must never hold up the event loop.
 *
 * Targets: sign-ins/s >= 0.90 x floor at BCRYPT_COST=12; /healthz p99 < 50 ms.
 * BENCH_PROFILE=1 runs the service under `node --cpu-prof` and prints where its main thread
 * spent its time (the hashes run on the pool's threads, outside the profile).
 * Needs PostgreSQL (BENCH_DATABASE_URL, a server URL: a throw-away database is created on
 * it) and Redis (BENCH_REDIS_URL), and the built service (npm run build).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { Browser, csrfTokenIn } from './lib/client';
import { cpuShares, describeShares } from './lib/cpu';
import { alternate, closedLoop, type LoadResult } from './lib/load';
import { summarizeProfiles } from './lib/profile';
import { knob, median, percentile, round, saveResult, verdict } from './lib/report';
import { BENCH_PASSWORD, removeRedisKeys, seedAccounts } from './lib/seed';
import { freePort, REDIS_URL, ROOT, SERVICE_ARGS, serviceEnv, startService, throwAwayDatabase } from './lib/services';

const COST = knob('BENCH_BCRYPT_COST', 12, 12);
const CONCURRENCY = knob('BENCH_LOGIN_CONCURRENCY', 16, 16);
const ROUND_MS = knob('BENCH_ROUND_MS', 15_000, 5_000);
const ROUNDS = knob('BENCH_ROUNDS', 3, 1);
const PROBE_EVERY_MS = 25;
const PROFILE = process.env.BENCH_PROFILE === '1';
const PROFILE_DIR = path.join(__dirname, 'results', 'profiles', 'login');

/** The floor: the hash alone, in its own process, with the service's pool size. */
function floorRound(stored: string, poolSize: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'floor-bcrypt.ts'), stored, BENCH_PASSWORD, String(CONCURRENCY), String(ROUND_MS), String(COST)], {
      cwd: ROOT,
      env: { ...process.env, UV_THREADPOOL_SIZE: String(poolSize) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`the floor process failed (${code})`));
      const { perSecond } = JSON.parse(out) as { perSecond: number };
      resolve({ perSecond: round(perSecond, 2), count: 0, errors: 0, p50: Number.NaN, p99: Number.NaN });
    });
  });
}

/** GET /healthz every few milliseconds on a connection of its own, until stopped. */
function probeHealth(port: number): { stop(): Promise<number[]> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: '/healthz', agent }, (res) => {
            res.resume();
            res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`/healthz answered ${res.statusCode}`))));
          })
          .on('error', reject);
      });
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      agent.destroy();
      return latencies;
    },
  };
}

async function main(): Promise<void> {
  if (!fs.existsSync(SERVICE_ARGS[0] as string)) throw new Error('Build the service first: npm run build');
  const db = await throwAwayDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-'));
  const port = await freePort();
  const env = serviceEnv({ databaseUrl: db.url, port, dataDir, extra: { BCRYPT_COST: String(COST) } });
  const poolSize = loadConfig({ UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE, ...env }).threadPoolSize;
  if (PROFILE) fs.rmSync(PROFILE_DIR, { recursive: true, force: true });
  const service = await startService([...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []), ...SERVICE_ARGS], env, { port, name: 'login' });
  const browsers = Array.from({ length: CONCURRENCY }, () => new Browser(port));
  try {
    const { passwordHash: stored } = await seedAccounts(env, CONCURRENCY);
    const signIn = async (client: number) => {
      const browser = browsers[client] as Browser;
      browser.forgetCookies(['did']);
      const form = await browser.request('GET', '/login');
      const res = await browser.request('POST', '/login', { _csrf: csrfTokenIn(form.body), identifier: `bench${client}`, password: BENCH_PASSWORD });
      if (res.status !== 303 || String(res.headers.location).startsWith('/login')) throw new Error(`sign-in answered ${res.status} ${res.headers.location ?? ''}`);
    };
    await signIn(0);
    console.log(`Sign-ins at BCRYPT_COST=${COST}, ${CONCURRENCY} clients, UV_THREADPOOL_SIZE=${poolSize}, ${ROUNDS} x ${ROUND_MS / 1000} s per side, alternating`);
    const health: number[] = [];
    const rounds = await alternate<LoadResult & { shares?: Record<string, number> }>(
      ROUNDS,
      [
        {
          name: 'service',
          run: async () => {
            const probe = probeHealth(port);
            const { result, shares } = await cpuShares(() => service.pids(), () => closedLoop({ concurrency: CONCURRENCY, durationMs: ROUND_MS, iteration: signIn }));
            health.push(...(await probe.stop()));
            return { ...result, shares };
          },
        },
        { name: 'floor', run: () => floorRound(stored, poolSize) },
      ],
      (name, r) => console.log(`  ${name.padEnd(7)} ${r.perSecond} sign-ins/s${Number.isNaN(r.p99) ? '' : `, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.errors} errors`}${r.shares ? `; CPU: ${describeShares(r.shares)}` : ''}`),
    );
    const servicePerSecond = median((rounds.service ?? []).map((r) => r.perSecond));
    const floorPerSecond = median((rounds.floor ?? []).map((r) => r.perSecond));
    const ratio = round(servicePerSecond / floorPerSecond);
    const healthP99 = round(percentile(health, 99));
    console.log(`\nMedians: service ${servicePerSecond} sign-ins/s, floor ${floorPerSecond} checks/s`);
    const pass = [verdict('sign-ins/s / floor', ratio, '>= 0.90', ratio >= 0.9), verdict('GET /healthz p99 during the flood (ms)', healthP99, '< 50', healthP99 < 50)].every(Boolean);
    saveResult('login', {
      settings: { bcryptCost: COST, concurrency: CONCURRENCY, uvThreadpoolSize: poolSize, roundMs: ROUND_MS, rounds: ROUNDS, accounts: CONCURRENCY },
      rounds,
      servicePerSecond,
      floorPerSecond,
      ratio,
      health: { probes: health.length, p50: round(percentile(health, 50)), p99: healthP99, max: round(Math.max(...health)) },
      targets: { ratio: 0.9, healthP99Ms: 50 },
      pass,
    });
    process.exitCode = pass ? 0 : 1;
  } finally {
    for (const browser of browsers) browser.close();
    await service.stop();
    await removeRedisKeys(REDIS_URL, env.REDIS_KEY_PREFIX as string);
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  if (PROFILE) summarizeProfiles(PROFILE_DIR);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
