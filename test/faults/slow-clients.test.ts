import net from 'node:net';
import { HttpBrowser } from '../helpers/http-browser';
import { startServiceProcess, type ServiceProcess } from '../helpers/service-process';

// Small timeouts, so the attack is over in seconds; the server sweeps every 500 ms (a quarter of the headers timeout).
const HEADERS_TIMEOUT_MS = 2000;
const REQUEST_TIMEOUT_MS = 4000;
const SWEEP_MS = 500;
// A loaded two-core machine may be late to notice a closed socket; far less than Node's default 30 s sweep.
const MARGIN_MS = 2500;

interface SlowSocket {
  /** When the server ended the connection, counted from its first byte; undefined while it is open. */
  closedAfterMs?: number;
  /** What the server wrote before closing: nothing, or a 408. */
  answer: string;
  done: Promise<void>;
}

/** Opens a connection to the server and feeds it `chunks`, one every `everyMs`, never finishing the request. */
function trickle(port: number, first: string, next: () => string, everyMs: number): SlowSocket {
  const socket = net.connect(port, '127.0.0.1');
  const state: SlowSocket = { answer: '', done: Promise.resolve() };
  let startedAt = 0;
  let timer: NodeJS.Timeout | undefined;
  state.done = new Promise<void>((resolve) => {
    socket.on('connect', () => {
      startedAt = Date.now();
      socket.write(first);
      timer = setInterval(() => socket.write(next()), everyMs);
    });
    socket.on('data', (chunk: Buffer) => (state.answer += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      state.closedAfterMs = Date.now() - startedAt;
      resolve();
    });
  });
  return state;
}

/** A person using the site while the attack goes on: a page and a form, one after another; the slowest answer. */
async function browseUntil(service: ServiceProcess, stopped: () => boolean): Promise<{ requests: number; failures: string[]; slowestMs: number }> {
  const browser = new HttpBrowser();
  const failures: string[] = [];
  let requests = 0;
  let slowestMs = 0;
  while (!stopped()) {
    for (const page of ['/login', '/healthz', '/forgot-password']) {
      const startedAt = Date.now();
      const reply = await browser.get(service, page).catch((err: unknown) => ({ status: `error ${String(err)}` }));
      slowestMs = Math.max(slowestMs, Date.now() - startedAt);
      requests += 1;
      if (reply.status !== 200) failures.push(`${page}: ${reply.status}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { requests, failures, slowestMs };
}

describe('Slow clients', () => {
  let service: ServiceProcess;

  beforeAll(async () => {
    service = await startServiceProcess({ HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS), HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) });
  }, 120_000);

  afterAll(async () => {
    await service?.close();
  });

  it('cuts off clients that never finish their headers or trickle a body, while everyone else is served quickly', async () => {
    let attackOver = false;
    const visitor = browseUntil(service, () => attackOver);
    // Slowloris: each connection sends a request line and then one header line every half second, forever.
    let header = 0;
    const slowHeaders = Array.from({ length: 60 }, () => trickle(service.port, 'GET /login HTTP/1.1\r\nHost: accounts.example.test\r\n', () => `X-Slow-${(header += 1)}: a\r\n`, 500));
    // A form whose body arrives at one byte a second: 2000 bytes would take half an hour.
    const slowBodies = Array.from({ length: 3 }, () =>
      trickle(service.port, 'POST /login HTTP/1.1\r\nHost: accounts.example.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000\r\n\r\n', () => 'a', 1000),
    );
    const within = (socket: SlowSocket, limitMs: number) => Promise.race([socket.done, new Promise((r) => setTimeout(r, limitMs + 2000).unref())]);
    await Promise.all([...slowHeaders.map((s) => within(s, HEADERS_TIMEOUT_MS + SWEEP_MS + MARGIN_MS)), ...slowBodies.map((s) => within(s, REQUEST_TIMEOUT_MS + SWEEP_MS + MARGIN_MS))]);
    attackOver = true;
    const browsing = await visitor;

    const late = (sockets: SlowSocket[], limitMs: number) => sockets.filter((s) => s.closedAfterMs === undefined || s.closedAfterMs > limitMs).map((s) => s.closedAfterMs ?? 'still open');
    expect(late(slowHeaders, HEADERS_TIMEOUT_MS + SWEEP_MS + MARGIN_MS)).toEqual([]);
    expect(late(slowBodies, REQUEST_TIMEOUT_MS + SWEEP_MS + MARGIN_MS)).toEqual([]);
    // Not before its time either: the headers timeout is what ended them.
    expect(Math.min(...slowHeaders.map((s) => s.closedAfterMs as number))).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
    expect(Math.min(...slowBodies.map((s) => s.closedAfterMs as number))).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    for (const socket of [...slowHeaders, ...slowBodies]) expect(socket.answer === '' || socket.answer.startsWith('HTTP/1.1 408 ')).toBe(true);

    expect(browsing.failures).toEqual([]);
    expect(browsing.requests).toBeGreaterThan(10);
    expect(browsing.slowestMs).toBeLessThan(2000);
    console.log(`slow clients: headers cut after ${Math.max(...slowHeaders.map((s) => s.closedAfterMs as number))} ms at most, bodies after ${Math.max(...slowBodies.map((s) => s.closedAfterMs as number))} ms; ${browsing.requests} normal requests, slowest ${browsing.slowestMs} ms`);
  });
});
