import { csrfTokenIn } from './browser-agent';
import { HttpBrowser, type Origin, type Reply } from './http-browser';

/** What a person does on the site, one kind of request each. */
export const REQUEST_KINDS = ['sign-in page', 'sign-in', 'profile page', 'name change', 'token creation'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number] | 'readyz' | 'healthz';

export interface LoadAccount {
  id: string;
  username: string;
  password: string;
}

/** One request and its answer, with when it was sent and answered (Date.now()). */
export interface Answer {
  kind: RequestKind;
  client: number;
  startedAt: number;
  endedAt: number;
  /** 0 when nothing came back (the connection broke, or the browser gave up waiting). */
  status: number;
  contentType: string;
  location: string | null;
  text: string;
  /** Why nothing came back. */
  failure?: string;
  /** The answer a person hopes for: the page, the redirect after a change, the new token. */
  succeeded: boolean;
  /** The name a name change set (or asked to set). */
  name?: { first: string; last: string };
  /** The token a token creation made (or asked to make). */
  token?: { name: string; id?: string };
  /** The last name the profile page showed in its form. */
  shownLastName?: string;
}

export const durationOf = (answer: Answer) => answer.endedAt - answer.startedAt;

/** `n` in letters (a, b, ... z, ba, bb, ...), for names that stay names. */
function letters(n: number): string {
  let text = '';
  do {
    text = String.fromCharCode(97 + (n % 26)) + text;
    n = Math.floor(n / 26);
  } while (n > 0);
  return text;
}

export interface LoadOptions {
  /** Signed-in people working at the same time, each on an account of their own. */
  accounts: LoadAccount[];
  /** Pause between one person's rounds. */
  pauseMs: number;
  /** A browser gives up on a request after this long (recorded as no answer). */
  patienceMs: number;
}

/**
 * A steady load of people using the site as browsers do, each on an account of their
 * own: round after round, each signs in again on a new browser (the sign-in page, then
 * the form with its CSRF token), opens the profile page (whose form token later posts
 * use), changes their name with the form and creates an API token through the JSON API
 * (with the page's token in X-CSRF-Token). A person keeps the last browser that signed
 * in; a failed sign-in leaves them on the one before. Alongside, a monitor asks /readyz
 * and /healthz four times a second. Every request is recorded with its answer and timing.
 */
export class ProfileLoad {
  readonly answers: Answer[] = [];
  private stopping = false;
  private running: Promise<void>[] = [];

  constructor(
    private readonly origin: Origin,
    private readonly options: LoadOptions,
  ) {}

  start(): void {
    this.running = [...this.options.accounts.map((account, client) => this.person(account, client)), this.monitor()];
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.running);
  }

  /** The first answer of each kind the person hopes for that was asked after `since`, by kind. */
  firstSuccessesAfter(since: number): Map<RequestKind, Answer> {
    const firsts = new Map<RequestKind, Answer>();
    for (const answer of [...this.answers].sort((a, b) => a.endedAt - b.endedAt)) {
      if (answer.succeeded && answer.startedAt >= since && !firsts.has(answer.kind)) firsts.set(answer.kind, answer);
    }
    return firsts;
  }

  /** Waits until every kind of request has succeeded after `since`, or `withinMs` passed. */
  async untilEveryKindSucceeds(since: number, withinMs: number): Promise<void> {
    for (const deadline = Date.now() + withinMs; Date.now() < deadline; ) {
      if (REQUEST_KINDS.every((kind) => this.firstSuccessesAfter(since).has(kind))) return;
      await pause(100);
    }
  }

  private async record(kind: RequestKind, client: number, send: () => Promise<Reply>, succeeded: (reply: Reply) => boolean, extra: Partial<Answer> = {}): Promise<Answer> {
    const startedAt = Date.now();
    let answer: Answer;
    try {
      const reply = await send();
      answer = { kind, client, startedAt, endedAt: Date.now(), status: reply.status, contentType: reply.headers.get('content-type') ?? '', location: reply.location, text: reply.text, succeeded: succeeded(reply), ...extra };
    } catch (err) {
      answer = { kind, client, startedAt, endedAt: Date.now(), status: 0, contentType: '', location: null, text: '', failure: `${String(err)} (${String((err as { cause?: unknown }).cause)})`, succeeded: false, ...extra };
    }
    this.answers.push(answer);
    return answer;
  }

  private async person(account: LoadAccount, client: number): Promise<void> {
    const { origin } = this;
    const patience = { timeoutMs: this.options.patienceMs };
    let browser: HttpBrowser | undefined;
    let csrf: string | undefined;
    // Start at different moments, so the people's requests interleave.
    await pause(client * 37);
    for (let round = 0; !this.stopping; round++) {
      const device = new HttpBrowser(patience);
      const signInPage = await this.record('sign-in page', client, () => device.get(origin, '/login'), (r) => r.status === 200);
      if (signInPage.succeeded) {
        const fields = { _csrf: csrfTokenIn(signInPage.text), identifier: account.username, password: account.password };
        const signIn = await this.record('sign-in', client, () => device.post(origin, '/login', fields), (r) => r.status === 303 && r.location === '/');
        if (signIn.succeeded) [browser, csrf] = [device, undefined];
      }
      if (browser) {
        const signedIn = browser;
        const profile = await this.record('profile page', client, () => signedIn.get(origin, '/profile/account'), (r) => r.status === 200 && r.text.includes(account.username));
        if (profile.succeeded) {
          csrf = csrfTokenIn(profile.text);
          profile.shownLastName = /name="last_name"[^>]*value="([^"]*)"/.exec(profile.text)?.[1];
        }
        if (csrf) {
          const name = { first: 'Ada', last: `Loadtest ${letters(client)} ${letters(round)}` };
          const fields = { _csrf: csrf, first_name: name.first, last_name: name.last };
          await this.record('name change', client, () => signedIn.post(origin, '/profile/account/name', fields), (r) => r.status === 303 && r.location === '/profile/account', { name });
          const token: { name: string; id?: string } = { name: `load ${client} round ${round}` };
          const body = { name: token.name, scope: 'read', expires_in_days: 30, current_password: account.password };
          const created = await this.record('token creation', client, () => signedIn.postJson(origin, '/api/v1/users/me/tokens', body, csrf), (r) => r.status === 201, { token });
          if (created.succeeded) token.id = (JSON.parse(created.text) as { id: string }).id;
        }
      }
      await pause(this.options.pauseMs);
    }
  }

  private async monitor(): Promise<void> {
    const probe = (path: string) => fetch(`http://127.0.0.1:${this.origin.port}${path}`, { signal: AbortSignal.timeout(this.options.patienceMs) });
    const reply = async (path: string): Promise<Reply> => {
      const res = await probe(path);
      return { status: res.status, location: null, headers: res.headers, text: await res.text() };
    };
    while (!this.stopping) {
      await Promise.all([this.record('readyz', -1, () => reply('/readyz'), (r) => r.status === 200), this.record('healthz', -1, () => reply('/healthz'), (r) => r.status === 200)]);
      await pause(250);
    }
  }
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
