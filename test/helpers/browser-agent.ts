import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { Response } from 'supertest';

export const USER_AGENTS = {
  chromeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  iphoneSafari: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  firefoxLinuxArm: 'Mozilla/5.0 (X11; Linux aarch64; rv:133.0) Gecko/20100101 Firefox/133.0',
};

export function csrfTokenIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('No CSRF token on the page');
  return match[1];
}

/**
 * A person's browser: keeps cookies, reads the CSRF token from the page it was shown,
 * and submits forms as url-encoded posts, as a browser without JavaScript would.
 */
export class Visitor {
  readonly agent: TestAgent;
  lastPage = '';

  constructor(
    readonly app: Express,
    readonly userAgent = USER_AGENTS.chromeWindows,
    readonly acceptLanguage = 'en',
  ) {
    this.agent = request.agent(app);
  }

  async get(path: string): Promise<Response> {
    const res = await this.agent.get(path).set('User-Agent', this.userAgent).set('Accept-Language', this.acceptLanguage).set('Accept', 'text/html');
    if (res.type === 'text/html') this.lastPage = res.text;
    return res;
  }

  /** Opens `page`, then posts `fields` (plus the page's CSRF token) to `action` (default: the page). */
  async submit(page: string, fields: Record<string, string | string[]>, action = page.split('?')[0] as string): Promise<Response> {
    const shown = await this.get(page);
    return this.post(action, { _csrf: csrfTokenIn(shown.text), ...fields });
  }

  /** Posts to a form action with whatever fields are given (tests of hostile input). */
  async post(action: string, fields: Record<string, string | string[]> | string): Promise<Response> {
    const res = await this.agent
      .post(action)
      .set('User-Agent', this.userAgent)
      .set('Accept-Language', this.acceptLanguage)
      .set('Accept', 'text/html')
      .type('form')
      .send(fields);
    if (res.type === 'text/html') this.lastPage = res.text;
    return res;
  }

  /** The CSRF token of the page shown last. */
  csrf(): string {
    return csrfTokenIn(this.lastPage);
  }
}
