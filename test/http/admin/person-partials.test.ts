import { describeApp } from '../../helpers/app';
import { createUser } from '../../helpers/factories';
import { pathTo } from '../../../src/http/urls';

const t = describeApp();

/** A partial of the person page as the page that includes it renders it: its locals plus the page's. */
function render(view: string, locals: Record<string, unknown>): Promise<string> {
  const page = { t: t.deps.catalogues.translator('en'), csrfField: () => '<input type="hidden" name="_csrf" value="token">', path: pathTo };
  return new Promise((resolve, reject) => t.app.render(view, { ...page, ...locals }, (err: Error | null, html?: string) => (err ? reject(err) : resolve(html ?? ''))));
}

describe("The person page's role and danger-zone cards", () => {
  it('offer the one role change that can be made, posting the role to give', async () => {
    const admin = await createUser(t, { admin: true });
    const person = { id: 'p1', username: 'ada<x>', role: 'user', firstName: 'Ada', lastName: 'Lovelace' };
    const promote = await render('admin/_person-role', { person, isSelf: false });
    expect(promote).toContain('Ada Lovelace is a regular user.');
    expect(promote).toContain('action="/admin/users/ada%3Cx%3E/role"');
    expect(promote).toContain('<input type="hidden" name="role" value="admin">');
    expect(promote).not.toContain('ada<x>');

    const demoteSelf = await render('admin/_person-role', { person: { ...person, id: admin.id, role: 'admin' }, isSelf: true });
    expect(demoteSelf).toContain('<input type="hidden" name="role" value="user">');
    expect(demoteSelf).toContain('You lose this console at once');
  });

  it("ask for the username typed out, and send an administrator's own account to the profile", async () => {
    const admin = await createUser(t, { admin: true });
    const person = { id: 'p2', username: 'grace', role: 'user', firstName: 'Grace', lastName: 'Hopper' };
    const card = await render('admin/_person-delete', { person, isSelf: false, reserveDays: 30 });
    expect(card).toContain('action="/admin/users/grace/delete"');
    expect(card).toContain('name="confirm_username"');
    expect(card).toContain('To confirm, type the username: grace');
    expect(card).toContain('reserved for 30 days');
    const own = await render('admin/_person-delete', { person: { ...person, id: admin.id }, isSelf: true });
    expect(own).toContain('href="/profile/delete"');
    expect(own).not.toContain('confirm_username');
  });
});
