import type { TestApp } from '../../helpers/app';
import type { Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import type { User } from '../../../src/core/users/user';

export const ctx = { ip: '127.0.0.1', userAgent: 'test', locale: 'en' as const };

/** What the people tests share: an administrator just signed in (a fresh sign-in counts as recent), and the rows their actions leave. */
export function adminPersonHelpers(t: TestApp) {
  async function administrator(): Promise<{ admin: User & { password: string }; browser: Visitor }> {
    const admin = await createUser(t, { admin: true });
    return { admin, browser: await signedIn(t, admin) };
  }

  /** The audit rows about one person, oldest first. */
  async function auditOf(target: { id: string }): Promise<Array<{ action: string; actor_id: string | null; actor_username: string; target_username: string; ip: string | null; data: Record<string, unknown> }>> {
    return t.deps.db('admin_audit').where({ target_id: target.id }).orderBy('id', 'asc');
  }

  /** The types of the person's security events, oldest first. */
  async function activityOf(user: { id: string }): Promise<string[]> {
    return (await t.deps.db('security_events').where({ user_id: user.id }).orderBy('id', 'asc')).map((r: { type: string }) => r.type);
  }

  /** Closes the step-up window, as the "Drop" button does: the next action asks for the password again. */
  async function dropStepUp(browser: Visitor): Promise<void> {
    await browser.get('/profile/sessions');
    await browser.post('/reauth/drop', { _csrf: browser.csrf(), next: '/profile/sessions' });
  }

  /** A form on the person page, posted as the browser would: from the page itself. */
  async function act(browser: Visitor, path: string) {
    await browser.get(path.split('/').slice(0, 4).join('/'));
    return browser.post(path, { _csrf: browser.csrf() });
  }

  return { administrator, auditOf, activityOf, dropStepUp, act };
}
