import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closedPort } from './tcp-proxy';

const asRoot = () => process.getuid?.() === 0;

function bin(name: string): string {
  const versions = fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b));
  return path.join('/usr/lib/postgresql', versions[versions.length - 1] as string, 'bin', name);
}

/** A command as the cluster's owner runs it: as root, through runuser as `postgres`. */
function asOwner(command: string, args: string[]): [string, string[]] {
  return asRoot() ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

/**
 * A PostgreSQL server of the test's own, from the system's binaries, which the test may
 * pause with SIGSTOP (the postmaster and every backend): connections are still accepted
 * by the kernel and statements still sent, but nothing is answered. It may also be
 * stopped the hard way (`pg_ctl stop -m immediate`, as a crash would) and started again
 * on the same port and data directory, which then recovers from its write-ahead log.
 * initdb refuses to run as root, so as root the cluster belongs to the `postgres` user.
 */
export class PrivatePostgres {
  private child?: ChildProcess;
  private dir = '';
  port = 0;

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async start(): Promise<void> {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-pg-'));
    if (asRoot()) execFileSync('chown', ['postgres', this.dir]);
    execFileSync(...asOwner(bin('initdb'), ['-D', this.data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']), { stdio: 'ignore' });
    this.port = await closedPort();
    await this.launch();
  }

  /** Starts the postmaster on this server's port and data directory, and waits until it accepts connections. */
  private async launch(): Promise<void> {
    const options = ['-D', this.data, '-p', String(this.port), '-k', this.dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'];
    this.child = spawn(...asOwner(bin('postgres'), options), { stdio: 'ignore' });
    for (let i = 0; i < 300; i++) {
      if (this.accepting()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('PostgreSQL did not start');
  }

  /** Whether the server accepts connections now (pg_isready). */
  accepting(): boolean {
    try {
      execFileSync(bin('pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(this.port), '-t', '2'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * `pg_ctl stop -m immediate`: every server process quits at once, open connections
   * break, and nothing is checkpointed, as when the machine loses power. Returns when the
   * postmaster is gone and the port is closed.
   */
  async stopImmediately(): Promise<void> {
    const child = this.child;
    const exited = child && child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : Promise.resolve();
    execFileSync(...asOwner(bin('pg_ctl'), ['stop', '-D', this.data, '-m', 'immediate', '-w', '-t', '30']), { stdio: 'ignore' });
    await exited;
  }

  /** Starts the server again after stopImmediately, on the same port and data directory (it replays its log first). */
  async startAgain(): Promise<void> {
    await this.launch();
  }

  private get data(): string {
    return path.join(this.dir, 'data');
  }

  /** The postmaster and the processes it started. */
  private processes(): number[] {
    const postmaster = Number(fs.readFileSync(path.join(this.data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = fs
      .readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          return Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]) === postmaster;
        } catch {
          return false;
        }
      })
      .map(Number);
    return [postmaster, ...children];
  }

  pause(): void {
    this.signal('SIGSTOP');
  }

  resume(): void {
    this.signal('SIGCONT');
    // runuser stops itself when its child stops, and waits to be continued.
    this.child?.kill('SIGCONT');
  }

  private signal(signal: NodeJS.Signals): void {
    for (const pid of this.processes()) {
      try {
        process.kill(pid, signal);
      } catch {
        // It ended between listing and signalling.
      }
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      this.resume();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const postmaster = this.processes()[0] as number;
      process.kill(postmaster, 'SIGQUIT');
      await exited;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
