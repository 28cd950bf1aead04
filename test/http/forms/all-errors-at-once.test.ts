import { describeApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { GOOD_PASSWORD, createUser, signedIn } from '../../helpers/factories';

const t = describeApp();

/** The messages of the error summary at the top, in order. */
const summary = (html: string) =>
  [.../<ul class="error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1]?.matchAll(/<li>([\s\S]*?)<\/li>/g) ?? []].map((m) => (m[1] ?? '').replace(/<[^>]+>/g, '').trim());

/** The message shown beside one field. */
const inline = (html: string, name: string) => new RegExp(`<p class="field__error" id="field-${name}-error">([\\s\\S]*?)</p>`).exec(html)?.[1]?.replace(/<[^>]+>/g, '').trim();

/** The value a field was shown with again, or undefined when it is empty. */
const shownValue = (html: string, name: string) => new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] || undefined;

const signUp = (overrides: Record<string, string>) => ({
  first_name: 'Jane',
  last_name: 'Doe',
  email: 'jane@example.com',
  username: 'jane.doe',
  password: GOOD_PASSWORD,
  password_confirm: GOOD_PASSWORD,
  ...overrides,
});

describe('A form with three wrong fields', () => {
  it('answers sign-up (bad email, 5-character password, other confirmation) with three messages, in the summary and beside each field', async () => {
    const res = await new Visitor(t.app).submit('/signup', signUp({ email: 'not-an-email', password: 'short', password_confirm: 'shorter' }));
    expect(res.status).toBe(422);
    expect(summary(res.text)).toEqual(['Enter an email address in the correct format, like name@example.com', 'Password must be at least 10 characters', 'The passwords do not match']);
    expect(inline(res.text, 'email')).toMatch(/Enter an email address in the correct format/);
    expect(inline(res.text, 'password')).toMatch(/Password must be at least 10 characters/);
    expect(inline(res.text, 'password_confirm')).toMatch(/The passwords do not match/);
    expect(shownValue(res.text, 'email')).toBe('not-an-email');
    expect(shownValue(res.text, 'password')).toBeUndefined();
    expect(shownValue(res.text, 'password_confirm')).toBeUndefined();
  });

  it('answers the change-password tab (wrong current password, weak new one, other confirmation) with three messages', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const res = await visitor.submit('/profile/password', { current_password: 'not my password', password: 'short', password_confirm: 'other' });
    expect(res.status).toBe(422);
    expect(summary(res.text)).toHaveLength(3);
    expect(inline(res.text, 'current_password')).toBeTruthy();
    expect(inline(res.text, 'password')).toMatch(/Password must be at least 10 characters/);
    expect(inline(res.text, 'password_confirm')).toBeTruthy();
  });

  it('answers reset password (weak password, other confirmation) with both messages at once', async () => {
    const user = await createUser(t);
    const token = await t.services.passwordReset.issueSetPasswordToken(user.id);
    const res = await new Visitor(t.app).submit(`/reset-password/${token}`, { password: 'short', password_confirm: 'other' });
    expect(res.status).toBe(422);
    expect(summary(res.text)).toHaveLength(2);
    expect(inline(res.text, 'password')).toMatch(/Password must be at least 10 characters/);
    expect(inline(res.text, 'password_confirm')).toBeTruthy();
  });
});

describe('Password fields after a refused form', () => {
  it('keep a password that passed its own checks (the page is never stored), and never one that failed', async () => {
    const visitor = new Visitor(t.app);
    const mismatch = await visitor.submit('/signup', signUp({ email: 'not-an-email', password_confirm: `${GOOD_PASSWORD}x` }));
    expect(mismatch.status).toBe(422);
    expect(mismatch.headers['cache-control']).toBe('no-store');
    expect(shownValue(mismatch.text, 'password')).toBe(GOOD_PASSWORD);
    expect(shownValue(mismatch.text, 'password_confirm')).toBeUndefined();

    const weak = await visitor.submit('/signup', signUp({ email: 'not-an-email', password: 'iloveyou123', password_confirm: 'iloveyou123' }));
    expect(weak.status).toBe(422);
    expect(inline(weak.text, 'password')).toMatch(/data breach/);
    expect(weak.text).not.toContain('iloveyou123');
  });
});
