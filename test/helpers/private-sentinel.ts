import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import { killAll } from './child-processes';
import { closedPort } from './tcp-proxy';

const clientFor = (port: number) => createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: false } });
type Client = ReturnType<typeof clientFor>;

/**
 * A master, its replica and one sentinel watching them, each a redis-server of the
 * test's own on loopback: the service finds the master through the sentinel, and the
 * test can make the sentinel fail over to the replica.
 */
export class PrivateSentinel {
  readonly masterName = 'atrium-test';
  private readonly children: ChildProcess[] = [];
  private dir = '';
  masterPort = 0;
  replicaPort = 0;
  sentinelPort = 0;

  async start(): Promise<void> {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-sentinel-'));
    [this.masterPort, this.replicaPort, this.sentinelPort] = [await closedPort(), await closedPort(), await closedPort()];
    const server = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    this.run(['--port', String(this.masterPort), ...server]);
    this.run(['--port', String(this.replicaPort), ...server, '--replicaof', '127.0.0.1', String(this.masterPort)]);
    await this.until(async () => (await this.info(this.replicaPort, 'replication')).includes('master_link_status:up'));
    const conf = path.join(this.dir, 'sentinel.conf');
    fs.writeFileSync(
      conf,
      [
        `port ${this.sentinelPort}`,
        'bind 127.0.0.1',
        `dir ${this.dir}`,
        `sentinel monitor ${this.masterName} 127.0.0.1 ${this.masterPort} 1`,
        `sentinel down-after-milliseconds ${this.masterName} 1000`,
        `sentinel failover-timeout ${this.masterName} 5000`,
        '',
      ].join('\n'),
    );
    this.run([conf, '--sentinel']);
    await this.until(async () => (await this.info(this.sentinelPort, 'sentinel')).includes('slaves=1'));
  }

  get sentinels(): string {
    return `127.0.0.1:${this.sentinelPort}`;
  }

  /**
   * Asks the sentinel to promote the replica, and waits until it names the new master.
   * The sentinel turns the old master into a replica seconds later: writes that reach it
   * meanwhile are lost, as with any Redis failover.
   */
  async failover(): Promise<void> {
    await this.withClient(this.sentinelPort, (client) => client.sendCommand(['SENTINEL', 'FAILOVER', this.masterName]));
    await this.until(async () => (await this.masterAddress()).endsWith(`:${this.replicaPort}`));
  }

  async masterAddress(): Promise<string> {
    const [host, port] = (await this.withClient(this.sentinelPort, (client) => client.sendCommand(['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.masterName]))) as string[];
    return `${host}:${port}`;
  }

  async stop(): Promise<void> {
    await killAll(this.children);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private run(args: string[]): void {
    this.children.push(spawn('redis-server', args, { stdio: 'ignore' }));
  }

  private info(port: number, section: string): Promise<string> {
    return this.withClient(port, (client) => client.info(section)).catch(() => '');
  }

  private async withClient<T>(port: number, use: (client: Client) => Promise<T>): Promise<T> {
    const client = clientFor(port);
    client.on('error', () => {});
    await client.connect();
    try {
      return await use(client);
    } finally {
      client.destroy();
    }
  }

  private async until(condition: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (await condition()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the Redis servers and sentinel did not get ready');
  }
}
