import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { killAll } from './child-processes';
import { closedPort } from './tcp-proxy';

const run = promisify(execFile);

/**
 * A three-master Redis Cluster of the test's own on loopback, whose masters the test may
 * pause with SIGSTOP (a hung node: its port open, nothing answered).
 */
export class PrivateCluster {
  readonly ports: number[] = [];
  private readonly children: ChildProcess[] = [];
  private dir = '';

  get nodes(): string {
    return this.ports.map((port) => `127.0.0.1:${port}`).join(',');
  }

  async start(): Promise<void> {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-cluster-'));
    for (let i = 0; i < 3; i++) {
      const [port, bus] = [await closedPort(), await closedPort()];
      this.ports.push(port);
      const args = ['--port', String(port), '--cluster-enabled', 'yes', '--cluster-port', String(bus), '--cluster-config-file', path.join(this.dir, `nodes-${port}.conf`)];
      this.children.push(spawn('redis-server', [...args, '--dir', this.dir, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }));
    }
    await this.until(async () => (await Promise.all(this.ports.map((port) => this.cli(port, 'ping')))).every((answer) => answer.trim() === 'PONG'));
    await run('redis-cli', ['--cluster', 'create', ...this.ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes']);
    await this.until(async () => (await Promise.all(this.ports.map((port) => this.cli(port, 'cluster', 'info')))).every((info) => info.includes('cluster_state:ok')));
  }

  /** The port of the master serving a key. */
  async masterOf(key: string): Promise<number> {
    const slot = Number((await this.cli(this.ports[0] as number, 'cluster', 'keyslot', key)).trim());
    // One line per node: id, address@bus, flags, master, ping, pong, epoch, link state, slot ranges.
    for (const line of (await this.cli(this.ports[0] as number, 'cluster', 'nodes')).split('\n')) {
      const fields = line.trim().split(' ');
      const serves = fields.slice(8).some((range) => {
        const [first, last = first] = range.split('-').map(Number);
        return slot >= (first as number) && slot <= (last as number);
      });
      if (serves) return Number(fields[1]?.split('@')[0]?.split(':')[1]);
    }
    throw new Error(`no master serves slot ${slot}`);
  }

  pause(port: number): void {
    this.children[this.ports.indexOf(port)]?.kill('SIGSTOP');
  }

  resume(port: number): void {
    this.children[this.ports.indexOf(port)]?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    await killAll(this.children);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async cli(port: number, ...args: string[]): Promise<string> {
    return (await run('redis-cli', ['-p', String(port), ...args]).catch(() => ({ stdout: '' }))).stdout;
  }

  private async until(condition: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (await condition()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the Redis Cluster did not get ready');
  }
}
