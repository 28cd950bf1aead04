import fs from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

export interface RunningProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** stdout and stderr together, as an operator's terminal shows them. */
  log(): string;
  stdout(): string;
  stderr(): string;
  /** The pid of the node process running the service (tsx runs it as a child of its own). */
  servicePid(): number | undefined;
}

/** Runs `src/<script>` (server.ts or cli.ts) in a process of its own with these settings on top of the environment. */
export function startScript(script: string, env: Record<string, string>, args: string[] = [], options: { uid?: number; gid?: number } = {}): RunningProcess {
  const child = spawn(tsx, [`src/${script}`, ...args], { cwd: root, env: { ...process.env, ...env } as NodeJS.ProcessEnv, ...options });
  let log = '';
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => {
    log += c.toString();
    stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    log += c.toString();
    stderr += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    log: () => log,
    stdout: () => stdout,
    stderr: () => stderr,
    servicePid: () => {
      const pid = /"pid":(\d+)/.exec(log)?.[1];
      return pid ? Number(pid) : undefined;
    },
  };
}

export const startServer = (env: Record<string, string>, options?: { uid?: number; gid?: number }) => startScript('server.ts', env, [], options);

export function get(port: number, urlPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** Waits for /healthz; an embedded database migrating on a busy machine may take a minute or two. */
export async function waitUntilUp(port: number, child: ChildProcess, withinMs = 150_000): Promise<void> {
  for (const deadline = Date.now() + withinMs; Date.now() < deadline; ) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await get(port, '/healthz')).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not start');
}

/** Fetches a form for its session cookie and CSRF token, then posts the fields with them. */
export async function postForm(port: number, urlPath: string, fields: Record<string, string>): Promise<number> {
  const form = await new Promise<{ cookie: string; token: string }>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ cookie: String(res.headers['set-cookie']?.[0]).split(';')[0] as string, token: /name="_csrf" value="([^"]+)"/.exec(body)?.[1] as string }));
      })
      .on('error', reject);
  });
  const body = new URLSearchParams({ _csrf: form.token, ...fields }).toString();
  return new Promise<number>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: urlPath, method: 'POST', agent: false, headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Stops a process with SIGTERM and waits for it (a test's cleanup). */
/**
 * Sends SIGTERM to the service itself, as a process manager would, and waits for its exit
 * code. Not to the tsx wrapper: tsx relays a signal and, when the busy child has not
 * acknowledged it within 30 ms twice, kills it with SIGKILL and exits with 143.
 */
export async function stop(running: RunningProcess): Promise<number | null> {
  if (running.child.exitCode !== null || running.child.signalCode !== null) return running.exited;
  const service = childrenOf(running.child.pid as number)[0];
  if (service === undefined) running.child.kill('SIGTERM');
  else process.kill(service, 'SIGTERM');
  return running.exited;
}

/** The processes a process started (Linux). */
export function childrenOf(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
