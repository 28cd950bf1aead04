import type { TestApp } from '../helpers/app';
import { createUser } from '../helpers/factories';
import { FuzzBrowser, type Answer, type FuzzServer } from './fuzz-client';

type Person = Awaited<ReturnType<typeof createUser>>;

/** Options that let fuzzed sign-ins reach validation: more failures per account than production allows, spread over many addresses. */
export const ROOMY_LIMITS = {
  TRUST_PROXY: 'loopback',
  SIGNIN_FAILURES_PER_ACCOUNT_AND_IP: '100',
  SIGNIN_FAILURES_PER_ACCOUNT: '10000',
  SIGNIN_FAILURES_PER_IP: '100000',
};

/** A page that answers 200 only to a session signed in within REAUTH_MINUTES, and has a form (so its token is read). */
const RECENT_SIGN_IN_PAGE = '/profile/delete';

/**
 * Someone at a browser who may be signed in, with a form token in the session, so that a
 * fuzzed post reaches validation rather than the CSRF check. A case that may have changed
 * the session (a redirect, a refusal) marks it stale; it is made whole before its next use:
 * signed in again, or replaced by a new account when the old one no longer lets it in
 * (its password was changed, or it was deleted).
 */
export class Persona {
  browser!: FuzzBrowser;
  person?: Person;
  private stale = true;

  constructor(
    private readonly t: TestApp,
    private readonly server: FuzzServer,
    readonly signedIn: boolean,
  ) {}

  /**
   * After a case: whether it may have changed who the browser is. A visitor may have signed
   * in (the "signed in" hint cookie comes with it); a signed-in person may have been signed
   * out, or lost their recent sign-in (sent to sign in or to confirm their identity), or
   * signed in anew. Anything else leaves the session as it was.
   */
  observe(answer: Answer): void {
    const hint = [answer.headers['set-cookie'] ?? []].flat().some((line) => line.startsWith('signed_in='));
    const location = String(answer.headers.location ?? '');
    if (hint || (this.signedIn && (answer.status === 401 || /^\/(login|reauth)\b/.test(location)))) this.stale = true;
  }

  async ready(): Promise<FuzzBrowser> {
    if (!this.stale) return this.browser;
    if (!this.signedIn) {
      this.browser = new FuzzBrowser(this.server);
      await this.expect(this.browser.get('/login'), 200);
    } else if (!(this.person && (await this.browser.get(RECENT_SIGN_IN_PAGE)).status === 200)) {
      await this.signIn();
    }
    this.stale = false;
    return this.browser;
  }

  private async signIn(): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      if (!this.person || attempt > 0) this.person = await createUser(this.t, { emailVerified: true });
      this.browser = new FuzzBrowser(this.server);
      await this.expect(this.browser.get('/login'), 200);
      const answer = await this.browser.post('/login', { identifier: this.person.username, password: this.person.password });
      if (answer.status === 303 && (await this.browser.get(RECENT_SIGN_IN_PAGE)).status === 200) return;
    }
    throw new Error('A fuzz persona could not sign in');
  }

  private async expect(answer: Promise<Answer>, status: number): Promise<void> {
    const { status: got } = await answer;
    if (got !== status) throw new Error(`Persona set-up: expected ${status}, got ${got}`);
  }
}
