import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';

const t = describeApp();

describe('An empty activity list', () => {
  it('says so in the empty-state pattern, with an icon and a way back to all activity', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const page = await visitor.get('/profile/activity?kind=ssh_key_removed');
    const empty = /<div class="empty-state">[\s\S]*?<\/div>/.exec(page.text)?.[0] ?? '';
    expect(empty).toContain('<use href="#i-pulse"/>');
    expect(empty).toContain('<p class="empty-state__text">Nothing of this kind has happened.</p>');
    expect(empty).toContain('<a class="button button--small" href="/profile/activity">Show all activity</a>');
  });
});
