import { describeApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';

const t = describeApp();

const MINUTE = 60_000;
const STEP_UP_NOTE = /You recently confirmed it's you\. Until <time datetime="[^"]+">\d{1,2}:\d{2}( UTC)?<\/time> you won't be asked again\./;

/** The sidebar's groups: each heading with the tab labels under it. */
function groupsIn(html: string): Record<string, string[]> {
  const sidebar = /<nav class="tabs"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
  const groups: Record<string, string[]> = {};
  for (const match of sidebar.matchAll(/<p class="tabs__heading"[^>]*>([^<]+)<\/p>([\s\S]*?)<\/ul>/g)) {
    groups[match[1] as string] = [...(match[2] as string).matchAll(/<span>([^<]+)<\/span><\/a>/g)].map((m) => m[1] as string);
  }
  return groups;
}

describe('The frame around every profile tab', () => {
  it('groups the tabs under Profile, Security, Access and Your data, with an icon each and the current one marked', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const page = await visitor.get('/profile/sessions');
    expect(groupsIn(page.text)).toEqual({
      Profile: ['Account', 'Password', 'Preferences'],
      Security: ['Two-step verification', 'Sessions', 'Activity'],
      Access: ['Connected apps', 'Access tokens', 'App passwords', 'SSH keys'],
      'Your data': ['Export data', 'Delete account'],
    });
    for (const url of ['/profile/account', '/profile/password', '/profile/preferences', '/profile/security', '/profile/sessions', '/profile/activity', '/profile/apps', '/profile/tokens', '/profile/app-passwords', '/profile/keys', '/profile/data', '/profile/delete']) {
      expect(page.text).toContain(`href="${url}"`);
    }
    expect(page.text).toMatch(/<a class="tabs__tab tabs__tab--current" href="\/profile\/sessions" aria-current="page"><svg class="icon" aria-hidden="true" focusable="false"><use href="#i-devices"\/><\/svg><span>Sessions<\/span><\/a>/);
    expect(page.text).toContain('<symbol id="i-devices"');
    expect(page.text).toMatch(/<h1 id="page-title" class="profile__title">Sessions<\/h1>/);
  });

  it('offers the same tabs on narrow screens in a menu that opens without JavaScript, naming the current tab', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const page = await visitor.get('/profile/keys');
    const menu = /<details class="section-menu"[\s\S]*?<\/details>/.exec(page.text)?.[0] ?? '';
    expect(menu).toMatch(/<summary class="section-menu__toggle">[\s\S]*SSH keys[\s\S]*<\/summary>/);
    expect(menu.match(/<a class="tabs__tab/g)).toHaveLength(12);
    expect(menu).toMatch(/href="\/profile\/keys" aria-current="page"/);
  });

  it('shows whose account it is: the picture, the name and the username', async () => {
    const user = await createUser(t, { firstName: 'Ana', lastName: 'Petrović', username: 'ana' });
    const page = await (await signedIn(t, user)).get('/profile/account');
    expect(page.text).toMatch(/<header class="profile__header">\s*<span class="avatar avatar--medium" aria-hidden="true">AP<\/span>/);
    expect(page.text).toContain('<strong>Ana Petrović</strong> <span class="muted">· @ana</span>');
    expect(page.text).toContain('Your personal account');
  });

  it('shows a flash message inside the content column, under the tab\'s heading', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const tab = await visitor.get('/profile/account');
    await visitor.post('/profile/account/name', { _csrf: csrfTokenIn(tab.text), first_name: 'Nadia', last_name: 'Name' });
    const page = await visitor.get('/profile/account');
    const body = page.text.slice(page.text.indexOf('<div class="profile__body">'));
    expect(page.text.indexOf('<div class="profile__body">')).toBeGreaterThan(0);
    expect(body.indexOf('Your name has been saved.')).toBeGreaterThan(body.indexOf('id="page-title"'));
    expect(page.text.split('Your name has been saved.')).toHaveLength(2);
  });

  it('says how long a recent sign-in counts only on tabs whose forms would ask for it, in plain words', async () => {
    const visitor = await signedIn(t, await createUser(t));
    for (const url of ['/profile/account', '/profile/password', '/profile/security', '/profile/tokens', '/profile/app-passwords', '/profile/keys', '/profile/data', '/profile/delete']) {
      const page = await visitor.get(url);
      expect({ url, note: STEP_UP_NOTE.test(page.text) }).toEqual({ url, note: true });
      expect(page.text).toMatch(/<form method="post" action="\/reauth\/drop" class="step-up-note">[\s\S]*?Forget confirmation<\/button>/);
    }
    for (const url of ['/profile/preferences', '/profile/sessions', '/profile/activity']) {
      const page = await visitor.get(url);
      expect({ url, note: page.text.includes('you won&#39;t be asked again') || page.text.includes("you won't be asked again") }).toEqual({ url, note: false });
    }
    t.clock.advance(11 * MINUTE);
    expect((await visitor.get('/profile/password')).text).not.toMatch(STEP_UP_NOTE);
  });
});
