import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { closedPort } from './tcp-proxy';

/**
 * A redis-server of the test's own (from the system's package), which the test may
 * pause with SIGSTOP: the server keeps its port and the kernel keeps accepting
 * connections, but nothing is answered, as with a hung or overloaded server. It may also
 * be killed (SIGKILL) and started again on the same port: it keeps nothing on disk, so
 * it comes back empty, as a cache server that lost its memory.
 */
export class PrivateRedis {
  private child?: ChildProcess;
  port = 0;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.port = await closedPort();
    await this.launch();
  }

  private async launch(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if (await answersPing(this.port)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('redis-server did not start');
  }

  /** Whether the server answers PING now. */
  answers(): Promise<boolean> {
    return answersPing(this.port);
  }

  /** kill -9: connections break at once and everything it held is lost. */
  async kill(): Promise<void> {
    await this.stop();
  }

  /** Starts an empty server again on the same port, after kill. */
  async startAgain(): Promise<void> {
    await this.launch();
  }

  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    await exited;
  }
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(500, () => socket.destroy());
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('close', () => resolve(false));
    socket.once('error', () => resolve(false));
  });
}
