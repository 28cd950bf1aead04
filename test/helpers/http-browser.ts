import { csrfTokenIn, USER_AGENTS } from './browser-agent';

export interface Reply {
  status: number;
  /** Where a redirect points, as the server wrote it. */
  location: string | null;
  headers: Headers;
  text: string;
}

/** Anything that serves HTTP on a loopback port: a server process of the test's own. */
export interface Origin {
  port: number;
}

/**
 * A person's browser talking to real server processes over HTTP: it keeps its cookies
 * across every port on 127.0.0.1 (cookies do not depend on the port, so one browser can
 * be sent to either of two servers behind a load balancer), reads the CSRF token from the
 * page it was shown, and posts forms url-encoded, as a browser without JavaScript would.
 * With `forwardedFor` it stands behind that address (the servers trust their loopback proxy);
 * `acceptLanguage` (default `en`) is the language it asks pages in;
 * with `timeoutMs` a request unanswered that long fails (a TimeoutError) instead of hanging the test.
 */
export class HttpBrowser {
  private readonly cookies = new Map<string, string>();
  lastPage = '';

  constructor(readonly options: { userAgent?: string; forwardedFor?: string; timeoutMs?: number; acceptLanguage?: string } = {}) {}

  async get(origin: Origin, path: string): Promise<Reply> {
    return this.send(origin, path, { method: 'GET' });
  }

  /** Opens `page` on `origin`, then posts `fields` (plus the page's CSRF token) to `action` there (default: the page). */
  async submit(origin: Origin, page: string, fields: Record<string, string>, action = page): Promise<Reply> {
    const shown = await this.get(origin, page);
    return this.post(origin, action, { _csrf: csrfTokenIn(shown.text), ...fields });
  }

  /** Posts to a form action on `origin` with exactly these fields. */
  async post(origin: Origin, action: string, fields: Record<string, string>): Promise<Reply> {
    return this.send(origin, action, { method: 'POST', body: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' });
  }

  /** Calls the JSON API as a page's script would: this browser's cookies, and the CSRF token (by default the last page's) in X-CSRF-Token. */
  async postJson(origin: Origin, path: string, body: unknown, csrf = this.csrf()): Promise<Reply> {
    return this.send(origin, path, { method: 'POST', body: JSON.stringify(body), contentType: 'application/json', accept: 'application/json', csrf });
  }

  /** The CSRF token of the page shown last. */
  csrf(): string {
    return csrfTokenIn(this.lastPage);
  }

  private async send(origin: Origin, path: string, request: { method: string; body?: string; contentType?: string; accept?: string; csrf?: string }): Promise<Reply> {
    const headers: Record<string, string> = {
      accept: request.accept ?? 'text/html',
      'accept-language': this.options.acceptLanguage ?? 'en',
      'user-agent': this.options.userAgent ?? USER_AGENTS.chromeWindows,
    };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (request.contentType) headers['content-type'] = request.contentType;
    if (request.csrf) headers['x-csrf-token'] = request.csrf;
    if (this.options.forwardedFor) headers['x-forwarded-for'] = this.options.forwardedFor;
    const signal = this.options.timeoutMs === undefined ? undefined : AbortSignal.timeout(this.options.timeoutMs);
    const res = await fetch(`http://127.0.0.1:${origin.port}${path}`, { method: request.method, headers, body: request.body, redirect: 'manual', signal });
    for (const line of res.headers.getSetCookie()) this.keep(line);
    const text = await res.text();
    if (res.headers.get('content-type')?.startsWith('text/html')) this.lastPage = text;
    return { status: res.status, location: res.headers.get('location'), headers: res.headers, text };
  }

  private keep(line: string): void {
    keepCookie(this.cookies, line);
  }
}

/** Stores a Set-Cookie line in a jar, or forgets the cookie when the line clears it. */
export function keepCookie(cookies: Map<string, string>, line: string): void {
  const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
  const at = pair.indexOf('=');
  const name = pair.slice(0, at);
  const value = pair.slice(at + 1);
  const expired = attributes.some((a) => /^max-age=(0|-\d+)$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) <= Date.now()));
  if (expired || value === '') cookies.delete(name);
  else cookies.set(name, value);
}
