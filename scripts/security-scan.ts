import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * Runs Debian's Wapiti against the started app, signed in, on loopback only, for a
 * bounded time (npm run scan; .ci/run runs it after the tests). The report is kept under
 * test-output/wapiti/ (git-ignored); a finding of medium severity or higher fails.
 *
 * The modules are those that fit a server-rendered app. Left out: brute_login_form (it
 * only locks the account it guesses at), buster and nikto (path dictionaries for other
 * servers' files), shellshock (no CGI), ssrf and xxe (they need Wapiti's endpoint on the
 * internet), wapp (technology fingerprints, fetched from the internet).
 */
const MODULES = ['backup', 'blindsql', 'cookieflags', 'crlf', 'csp', 'csrf', 'exec', 'file', 'htaccess', 'http_headers', 'methods', 'permanentxss', 'redirect', 'sql', 'xss'];
const MEDIUM = 2;
const LEVEL_NAMES = ['info', 'low', 'medium', 'high', 'critical'];
const root = path.join(__dirname, '..');
const outDir = path.join(root, 'test-output', 'wapiti');
const maxScanSeconds = Number(process.env.SCAN_MAX_SECONDS ?? 240);

interface Finding {
  category: string;
  level: number;
  method: string;
  path: string;
  parameter: string;
  info: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The app as an operator runs it: production mode, real back-ends when given, mail written to files. */
function startApp(port: number, dataDir: string): ChildProcess {
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    BASE_URL: `http://127.0.0.1:${port}`,
    SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
    DATA_KEY: crypto.randomBytes(32).toString('hex'),
    MAIL_TRANSPORT: 'file',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    BCRYPT_COST: '4',
    ...(process.env.SCAN_DATABASE_URL ? { DATABASE_URL: process.env.SCAN_DATABASE_URL } : {}),
    ...(process.env.SCAN_REDIS_URL ? { REDIS_URL: process.env.SCAN_REDIS_URL } : {}),
  };
  return spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['src/server.ts'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
}

async function waitUntilUp(base: string, child: ChildProcess): Promise<void> {
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; ) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error('the app did not start');
}

/** The cookies an answer sets, by name (later ones win). */
function cookiesOf(answer: Response, jar: Map<string, string> = new Map()): Map<string, string> {
  for (const line of answer.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const at = pair.indexOf('=');
    jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return jar;
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');

/** Signs up through the form, as a person would, and returns the cookies of the signed-in browser. */
async function signUp(base: string): Promise<Map<string, string>> {
  const form = await fetch(`${base}/signup`);
  const jar = cookiesOf(form);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const password = `Scan ${crypto.randomBytes(12).toString('base64url')}`;
  const username = `scanner${crypto.randomBytes(4).toString('hex')}`;
  const body = new URLSearchParams({ _csrf: csrf, first_name: 'Wapiti', last_name: 'Scanner', email: `${username}@example.com`, username, password, password_confirm: password });
  const answer = await fetch(`${base}/signup`, { method: 'POST', body, redirect: 'manual', headers: { cookie: cookieHeader(jar) } });
  if (answer.status !== 303 && answer.status !== 302) throw new Error(`sign-up answered ${answer.status}`);
  cookiesOf(answer, jar);
  const profile = await fetch(`${base}/profile/account`, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } });
  if (profile.status !== 200) throw new Error(`signed in, the Account tab answered ${profile.status}`);
  return jar;
}

/** Wapiti's cookie file: domain, path, name. */
function writeCookieFile(file: string, jar: Map<string, string>): void {
  const cookies = Object.fromEntries([...jar].map(([name, value]) => [name, { value, expires: null, secure: false, port: null, version: 0 }]));
  fs.writeFileSync(file, JSON.stringify({ '127.0.0.1': { '/': cookies } }));
}

/**
 * Debian's Wapiti 3.0.4 cannot compile any exclusion (-x) on Python 3.11: its pattern puts
 * the global flags at the end. Run it with that one function mended, as upstream did later.
 */
// The system's Python, where Debian installs Wapiti (not one a version manager put first on PATH).
const PYTHON = '/usr/bin/python3';
const WAPITI = [
  'import re, sys',
  'import wapitiCore.net.crawler as crawler',
  "crawler.wildcard_translate = lambda p: re.compile('(?ms)' + ''.join('.*' if c == '*' else re.escape(c) for c in p) + r'\\Z')",
  'from wapitiCore.main.wapiti import wapiti_main',
  "sys.argv[0] = 'wapiti'",
  'sys.exit(wapiti_main())',
].join('\n');

function runWapiti(base: string, cookieFile: string, report: string, work: string): void {
  const args = [
    ...['-u', `${base}/`, '--scope', 'folder', '-m', MODULES.join(','), '-c', cookieFile],
    // Links that would end the scanner's own session.
    ...['-x', `${base}/logout`, '-x', `${base}/reauth/drop`, '-x', `${base}/profile/sessions/*`],
    ...['--max-scan-time', String(maxScanSeconds), '--max-attack-time', String(Math.max(10, Math.floor(maxScanSeconds / MODULES.length))), '-t', '10'],
    ...['--flush-session', '--store-session', path.join(work, 'session'), '--store-config', path.join(work, 'config')],
    ...['-f', 'json', '-o', report, '-v', '1', '--no-bugreport'],
  ];
  if (spawnSync(PYTHON, ['-c', 'import wapitiCore']).status !== 0) throw new Error('Wapiti is not installed; on Debian: apt-get install wapiti');
  console.log(`wapiti ${args.join(' ')}`);
  const run = spawnSync(PYTHON, ['-c', WAPITI, ...args], { stdio: 'inherit', env: { ...process.env, HOME: work } });
  if (run.error) throw new Error(`wapiti could not run (${run.error.message})`);
  if (run.status !== 0) throw new Error(`wapiti exited with ${run.status}`);
}

function findingsOf(report: string): Finding[] {
  const parsed = JSON.parse(fs.readFileSync(report, 'utf8')) as Record<string, Record<string, Array<Record<string, unknown>>>>;
  const findings: Finding[] = [];
  for (const section of ['vulnerabilities', 'anomalies', 'additionals']) {
    for (const [category, entries] of Object.entries(parsed[section] ?? {})) {
      for (const entry of entries) {
        findings.push({ category, level: Number(entry.level), method: String(entry.method), path: String(entry.path), parameter: String(entry.parameter ?? ''), info: String(entry.info ?? '') });
      }
    }
  }
  return findings;
}

async function main(): Promise<void> {
  fs.mkdirSync(outDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-scan-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const app = startApp(port, path.join(work, 'data'));
  try {
    await waitUntilUp(base, app);
    const cookieFile = path.join(work, 'cookies.json');
    writeCookieFile(cookieFile, await signUp(base));
    const report = path.join(outDir, 'report.json');
    runWapiti(base, cookieFile, report, work);
    const findings = findingsOf(report);
    for (const f of findings) console.log(`${LEVEL_NAMES[f.level] ?? f.level}\t${f.category}\t${f.method} ${f.path}${f.parameter ? ` [${f.parameter}]` : ''}\t${f.info.split('\n')[0]}`);
    const serious = findings.filter((f) => f.level >= MEDIUM);
    console.log(`Wapiti: ${findings.length} finding(s), ${serious.length} of medium severity or higher; report in ${path.relative(root, report)}`);
    process.exitCode = serious.length > 0 ? 1 : 0;
  } finally {
    app.kill('SIGTERM');
    await new Promise((resolve) => (app.exitCode !== null ? resolve(null) : app.once('exit', resolve)));
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
