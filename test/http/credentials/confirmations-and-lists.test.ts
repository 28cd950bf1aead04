import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';

const t = describeApp();

const DAY = 86_400_000;
const ctx = { ip: '203.0.113.20', userAgent: 'backup-script/1.2 (linux)', locale: 'en' as const };

/** The names in the list rows, in page order. */
const rowNames = (html: string) => [...html.matchAll(/<summary class="row__summary">\s*<h3 class="break">([^<]*)<\/h3>/g)].map((m) => m[1]);

/** The disclosure around a post to `action`: its summary's text, the sentence and the real button. */
function confirmationFor(html: string, action: string) {
  const escaped = action.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const match = new RegExp(`<details class="confirm">\\s*<summary class="([^"]+)"[^>]*>([^<]+)</summary>\\s*<form method="post" action="${escaped}" class="([^"]+)">[\\s\\S]*?<p>([^<]+)</p>\\s*<button type="submit" class="([^"]+)">([^<]+)</button>\\s*</form>\\s*</details>`).exec(html);
  if (!match) return undefined;
  const [, summaryClass, summary, , warning, buttonClass, button] = match;
  return { summaryClass, summary, warning, buttonClass, button };
}

/** How many forms on the page post to `action`. */
const formsPostingTo = (html: string, action: string) => html.split(`action="${action}"`).length - 1;

describe('Destructive actions ask first, without JavaScript', () => {
  it('revoking a token: a red Revoke opens the real button and says scripts stop working; Regenerate stays neutral', async () => {
    const user = await createUser(t);
    const { token } = await t.services.apiTokens.create(user, { name: 'Backup', scope: 'read', expires: '30' }, ctx);
    const page = (await (await signedIn(t, user)).get('/profile/tokens')).text;
    const revoke = confirmationFor(page, `/profile/tokens/${token.id}/revoke`);
    expect(revoke).toEqual({
      summaryClass: 'button button--small button--danger-outline',
      summary: 'Revoke',
      warning: 'Scripts and programs using this token stop working at once. This cannot be undone.',
      buttonClass: 'button button--small button--danger',
      button: 'Revoke token',
    });
    expect(formsPostingTo(page, `/profile/tokens/${token.id}/revoke`)).toBe(1);
    const regenerate = confirmationFor(page, `/profile/tokens/${token.id}/regenerate`);
    expect(regenerate?.summaryClass).toBe('button button--small button--ghost');
    expect(regenerate?.buttonClass).toBe('button button--small');
  });

  it('revoking an app password and deleting an SSH key: the same, each saying what stops working', async () => {
    const user = await createUser(t);
    const { appPassword } = await t.services.appPasswords.create(user, { name: 'Calendar', scope: 'read' }, ctx);
    const visitor = await signedIn(t, user);
    const passwords = (await visitor.get('/profile/app-passwords')).text;
    expect(confirmationFor(passwords, `/profile/app-passwords/${appPassword.id}/revoke`)).toMatchObject({
      summary: 'Revoke',
      warning: 'The program using this app password can no longer sign in, at once. This cannot be undone.',
      button: 'Revoke app password',
    });
    expect(formsPostingTo(passwords, `/profile/app-passwords/${appPassword.id}/revoke`)).toBe(1);

    const key = await t.services.sshKeys.add(user, { title: 'Laptop', key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl laptop' }, ctx);
    const keys = (await visitor.get('/profile/keys')).text;
    expect(confirmationFor(keys, `/profile/keys/${key.id}/delete`)).toMatchObject({
      summaryClass: 'button button--small button--danger-outline',
      summary: 'Delete',
      warning: 'Servers stop accepting this key for SSH sign-in as soon as they fetch your keys again. This cannot be undone.',
      button: 'Delete key',
    });
  });
});

describe('Lists that scan', () => {
  it('put the create action above the list, closed while there are entries, open when there are none', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const empty = (await visitor.get('/profile/tokens')).text;
    expect(empty).toContain('<details class="create" id="new-token" open>');
    await t.services.apiTokens.create(user, { name: 'Backup', scope: 'read', expires: '30' }, ctx);
    const listed = (await visitor.get('/profile/tokens')).text;
    expect(listed).toContain('<details class="create" id="new-token">');
    expect(listed.indexOf('id="new-token"')).toBeLessThan(listed.indexOf('<ul class="cred-list rows">'));
    const refused = (await visitor.submit('/profile/tokens', { name: '', scope: 'read', expires: '30' })).text;
    expect(refused).toContain('<details class="create" id="new-token" open>');
  });

  it('list tokens expiring soonest first, then the most recently used, expired ones last', async () => {
    const user = await createUser(t);
    const create = async (name: string, expires: '7' | '30' | '90' | '365') => (await t.services.apiTokens.create(user, { name, scope: 'read', expires }, ctx)).secret;
    await create('Old', '7');
    await create('Long', '365');
    await create('Mid', '90');
    await create('Soon', '30');
    t.clock.advance(8 * DAY);
    await create('Unused twin', '30');
    await t.services.apiAccess.bearer(await create('Used twin', '30'), ctx);
    const page = (await (await signedIn(t, user)).get('/profile/tokens')).text;
    expect(rowNames(page)).toEqual(['Soon', 'Used twin', 'Unused twin', 'Mid', 'Long', 'Old']);
  });

  it('say the token name limit, with the data the live countdown needs, and keep the date for "On a date"', async () => {
    const page = (await (await signedIn(t, await createUser(t))).get('/profile/tokens')).text;
    expect(page).toContain('What the token is for, such as &#34;Backup script&#34;. Up to 60 characters.');
    expect(page).toMatch(/<div data-char-count="60" data-chars-one="{count} character left" data-chars-few="{count} characters left" data-chars-other="{count} characters left"/);
    expect(page).toMatch(/id="field-name" name="name" type="text"[\s\S]{0,120}maxlength="60"/);
    expect(page).toContain('<script src="/assets/js/char-count.js');
    expect(page).toMatch(/<div class="token-form__date">\s*<div class="field">\s*<label class="field__label" for="field-expires_on">/);
  });
});
