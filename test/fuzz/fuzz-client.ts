import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { csrfTokenIn, USER_AGENTS } from '../helpers/browser-agent';
import { keepCookie } from '../helpers/http-browser';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as UTF-8 text. */
  text: string;
}

export interface Sent {
  method: string;
  /** Sent as written: percent-encoding and all, valid or not. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/**
 * The app listening once on 127.0.0.1, and one keep-alive agent for every request: ten
 * thousand cases cannot afford a connection (or supertest's server) each.
 */
export class FuzzServer {
  private constructor(
    private readonly server: http.Server,
    readonly port: number,
    private readonly agent: http.Agent,
  ) {}

  static async listen(app: Express): Promise<FuzzServer> {
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FuzzServer(server, (server.address() as AddressInfo).port, new http.Agent({ keepAlive: true, maxSockets: 16 }));
  }

  send(request: Sent): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body);
      const headers: Record<string, string | number> = { ...request.headers };
      if (body && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-length')) headers['content-length'] = body.length;
      const req = http.request({ host: '127.0.0.1', port: this.port, method: request.method, path: request.path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  async close(): Promise<void> {
    this.agent.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let requests = 0;

/** A different client address for every request (the app trusts its loopback proxy in these tests), so per-address limits rarely answer instead of validation. */
export function someAddress(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/**
 * A browser for the fuzz cases: its cookies, the CSRF token of the last page it was shown,
 * and the headers a browser sends. Requests go through the shared keep-alive agent.
 */
export class FuzzBrowser {
  readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(
    private readonly server: FuzzServer,
    private readonly userAgent = USER_AGENTS.chromeWindows,
  ) {}

  /** The Cookie header this browser sends. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async send(request: Sent): Promise<Answer> {
    const headers: Record<string, string> = {
      accept: 'text/html',
      'accept-language': 'en',
      'user-agent': this.userAgent,
      'x-forwarded-for': someAddress((requests += 1)),
      ...(this.cookies.size > 0 ? { cookie: this.cookieHeader() } : {}),
      ...request.headers,
    };
    const answer = await this.server.send({ ...request, headers });
    for (const line of [answer.headers['set-cookie'] ?? []].flat()) this.keep(line);
    if (answer.headers['content-type']?.startsWith('text/html') && /name="_csrf" value="/.test(answer.text)) this.csrf = csrfTokenIn(answer.text);
    return answer;
  }

  get(path: string): Promise<Answer> {
    return this.send({ method: 'GET', path });
  }

  /** An ordinary url-encoded form post with the current token. */
  post(path: string, fields: Record<string, string>): Promise<Answer> {
    const body = new URLSearchParams({ _csrf: this.csrf, ...fields }).toString();
    return this.send({ method: 'POST', path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  }

  private keep(line: string): void {
    keepCookie(this.cookies, line);
  }
}
