import { Visitor } from '../../helpers/browser-agent';
import { describeDirectoryApp } from '../../helpers/directory-app';
import { createUser, signedIn } from '../../helpers/factories';
import { DIRECTORY_PEOPLE } from '../../helpers/slapd';
import { OPERATOR } from '../../../src/features/admin/admin-audit.repository';
import { RoleFromDirectoryError } from '../../../src/features/admin/admin-roles.service';

const { ada, grace, linus, alan } = DIRECTORY_PEOPLE;
const INVALID = 'The username, email address or password is not right.';

describe('People from the organisation’s directory sign in with its password', () => {
  const { t, slapd } = describeDirectoryApp({ SIGNIN_FAILURES_PER_ACCOUNT_AND_IP: '3', LDAP_TIMEOUT_MS: '1500' });

  const signIn = (identifier: string, password: string, visitor = new Visitor(t.app)) => visitor.submit('/login', { identifier, password });

  it('creates the account at the first sign-in, from the directory’s attributes, and signs them in', async () => {
    const res = await signIn(ada.uid, ada.password);
    expect(res.status).toBe(303);
    const user = await t.repos.users.findByUsername(ada.uid);
    expect(user).toMatchObject({ source: 'ldap', firstName: 'Ada', lastName: 'Lovelace', email: ada.email, role: 'user', passwordHash: null });
    expect(user?.emailVerifiedAt).not.toBeNull();
    const events = await t.repos.events.all(user!.id);
    expect(events.map((e) => e.type)).toContain('sign_in');
  });

  it('refreshes the attributes at a later sign-in, found by email address too', async () => {
    await signIn(alan.uid, alan.password);
    await slapd.modify(alan.dn, 'givenName', ['Alan Mathison']);
    await slapd.modify(alan.dn, 'mail', ['alan.turing@example.org']);
    // The new address is no account's here yet: the directory finds him by it, and his account follows.
    expect((await signIn('alan.turing@example.org', alan.password)).status).toBe(303);
    expect(await t.repos.users.findByUsername(alan.uid)).toMatchObject({ firstName: 'Alan Mathison', email: 'alan.turing@example.org' });
    expect((await signIn(alan.email, alan.password)).status).toBe(422);
  });

  it('makes members of the administrators’ group administrators and takes the picture from jpegPhoto', async () => {
    expect((await signIn(grace.uid, grace.password)).status).toBe(303);
    const user = await t.repos.users.findByUsername(grace.uid);
    expect(user?.role).toBe('admin');
    expect(user?.avatarHash).toMatch(/^[0-9a-f]{64}$/);
    const picture = await new Visitor(t.app).get(`/avatars/${user!.avatarHash}/256.webp`);
    expect(picture.status).toBe(200);
  });

  it('ends the role when the person leaves the group (another administrator remains)', async () => {
    const other = await createUser(t, { admin: true });
    expect(other.role).toBe('admin');
    await slapd.modify(`cn=atrium-admins,ou=groups,dc=example,dc=org`, 'member', [ada.dn]);
    await signIn(grace.uid, grace.password);
    expect((await t.repos.users.findByUsername(grace.uid))?.role).toBe('user');
    await signIn(ada.uid, ada.password);
    expect((await t.repos.users.findByUsername(ada.uid))?.role).toBe('admin');
    await slapd.modify(`cn=atrium-admins,ou=groups,dc=example,dc=org`, 'member', [grace.dn]);
  });

  it('leaves the role of directory people to the group: the console and the operator cannot change it', async () => {
    await signIn(alan.uid, alan.password);
    const refused = t.services.adminRoles.changeRole(alan.uid, 'admin', { actor: OPERATOR, ip: '', userAgent: '', locale: 'en' });
    await expect(refused).rejects.toBeInstanceOf(RoleFromDirectoryError);
    expect((await t.repos.users.findByUsername(alan.uid))?.role).toBe('user');
  });

  it('refuses a wrong password, an unknown person and a disabled entry alike, and creates nothing', async () => {
    for (const [identifier, password] of [
      [ada.uid, 'not-adas-password'],
      ['nobody', 'whatever-password'],
      [linus.uid, linus.password],
    ] as const) {
      const res = await signIn(identifier, password);
      expect({ identifier, status: res.status }).toEqual({ identifier, status: 422 });
      expect(res.text).toContain(INVALID);
    }
    expect(await t.repos.users.findByUsername('nobody')).toBeUndefined();
    expect(await t.repos.users.findByUsername(linus.uid)).toBeUndefined();
  });

  it('takes what is typed as a value, never as filter syntax', async () => {
    // Unescaped, `ad*` and `a*a` would match Ada alone, and her password would open her account.
    for (const identifier of ['ad*', 'a*a', '*', ')(uid=*', `${ada.uid})(|(uid=*`, '\\2a', 'a*', '(uid=ada)', `*)(userPassword=*`]) {
      const res = await signIn(identifier, ada.password);
      expect({ identifier, status: res.status }).toEqual({ identifier, status: 422 });
      expect(res.text).toContain(INVALID);
    }
    const nul = await signIn(`${ada.uid}\u0000`, ada.password);
    expect(nul.status).toBe(422);
    expect(nul.text).toContain('Must not contain line breaks or control characters');
  });

  it('never takes an empty password as an anonymous bind', async () => {
    const res = await signIn(ada.uid, '');
    expect(res.status).toBe(422);
    expect(res.text).toContain('Enter your password');
    await expect(t.services.directory.signIn(ada.uid, '', { ip: '127.0.0.1', userAgent: 'test', locale: 'en' })).resolves.toBeUndefined();
  });

  it('counts wrong directory passwords against the same limits as local ones', async () => {
    const visitor = new Visitor(t.app);
    for (let i = 0; i < 3; i++) expect((await signIn(alan.uid, `wrong-${i}`, visitor)).status).toBe(422);
    expect((await signIn(alan.uid, alan.password, visitor)).status).toBe(429);
  });

  it('keeps the directory’s values to one line of text', async () => {
    await slapd.add(`uid=grete,ou=people,dc=example,dc=org`, { objectClass: 'inetOrgPerson', uid: 'Grete', cn: 'Grete Hermann', sn: ' Hermann\u0007 ', givenName: 'Grete\u001b[31m', mail: ' Grete@Example.org ', userPassword: 'grete-directory-pw' });
    expect((await signIn('grete', 'grete-directory-pw')).status).toBe(303);
    expect(await t.repos.users.findByUsername('grete')).toMatchObject({ firstName: 'Grete[31m', lastName: 'Hermann', email: 'grete@example.org' });
  });

  it('leaves a local account with the same username to its own password, and never takes over its address', async () => {
    const local = await createUser(t, { username: 'hedy', email: 'hedy@example.org' });
    await slapd.add(`uid=hedy,ou=people,dc=example,dc=org`, { objectClass: 'inetOrgPerson', uid: 'hedy', cn: 'Hedy Lamarr', sn: 'Lamarr', givenName: 'Hedy', mail: 'hedy.l@example.org', userPassword: 'hedy-directory-pw' });
    expect((await signIn('hedy', 'hedy-directory-pw')).status).toBe(422);
    expect((await signIn('hedy', local.password)).status).toBe(303);
    await slapd.add(`uid=hedy2,ou=people,dc=example,dc=org`, { objectClass: 'inetOrgPerson', uid: 'hedy2', cn: 'Hedy Two', sn: 'Two', givenName: 'Hedy', mail: 'hedy@example.org', userPassword: 'hedy2-directory-pw' });
    const taken = await signIn('hedy2', 'hedy2-directory-pw');
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('An account here already uses the username or email address');
    expect((await t.repos.users.findByUsername('hedy'))?.source).toBe('local');
  });

  it('says the directory cannot be reached, not that the password is wrong, while local accounts keep working', async () => {
    await signIn(ada.uid, ada.password);
    const local = await createUser(t);
    await slapd.kill();
    try {
      const res = await signIn(ada.uid, ada.password);
      expect(res.status).toBe(503);
      expect(res.text).toContain('We can&#39;t reach your organisation&#39;s directory right now');
      expect(res.text).not.toContain(INVALID);
      await signedIn(t, local);
      const ready = await new Visitor(t.app).get('/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body.checks.directory).toBe('unavailable');
    } finally {
      await slapd.startAgain();
    }
    expect((await new Visitor(t.app).get('/readyz')).body.checks.directory).toBe('ok');
    expect((await signIn(ada.uid, ada.password)).status).toBe(303);
  });

  it('gives up on a directory that hangs after LDAP_TIMEOUT_MS, with the same message', async () => {
    await slapd.pause();
    try {
      const res = await signIn(ada.uid, ada.password);
      expect(res.status).toBe(503);
      expect(res.text).toContain('We can&#39;t reach your organisation&#39;s directory right now');
    } finally {
      slapd.resume();
    }
    expect((await signIn(ada.uid, ada.password)).status).toBe(303);
  });
});
