import { Visitor } from '../../helpers/browser-agent';
import { describeDirectoryApp } from '../../helpers/directory-app';
import { signedIn } from '../../helpers/factories';
import { DIRECTORY_PEOPLE, LOCKED_FOREVER } from '../../helpers/slapd';
import { DirectoryUnavailableError } from '../../../src/infra/ldap/directory-client';

const { ada, grace, alan } = DIRECTORY_PEOPLE;

describe('The directory sync keeps directory accounts in line with their entries', () => {
  const { t, slapd } = describeDirectoryApp();

  it('refreshes details, locks a removed and a disabled person, ends their sessions, and says what it did', async () => {
    const adaBrowser = await signedIn(t, { username: ada.uid, password: ada.password });
    const alanBrowser = await signedIn(t, { username: alan.uid, password: alan.password });
    await signedIn(t, { username: grace.uid, password: grace.password });
    expect((await adaBrowser.get('/profile/account')).status).toBe(200);

    await slapd.remove(ada.dn);
    await slapd.modify(alan.dn, 'pwdAccountLockedTime', [LOCKED_FOREVER]);
    await slapd.modify(grace.dn, 'sn', ['Hopper-Murray']);
    expect(await t.services.directorySync.run()).toEqual({ checked: 3, updated: 1, locked: 2, unchanged: 0, skipped: 0 });

    expect((await t.repos.users.findByUsername(ada.uid))?.lockedAt).not.toBeNull();
    expect((await t.repos.users.findByUsername(alan.uid))?.lockedAt).not.toBeNull();
    expect(await t.repos.users.findByUsername(grace.uid)).toMatchObject({ lastName: 'Hopper-Murray', lockedAt: null });
    for (const browser of [adaBrowser, alanBrowser]) {
      const res = await browser.get('/profile/account');
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/login/);
    }
    const alanUser = await t.repos.users.findByUsername(alan.uid);
    expect((await t.repos.events.all(alanUser!.id)).map((e) => e.type)).toContain('directory_locked');

    // A second run finds nothing new to do.
    expect(await t.services.directorySync.run()).toEqual({ checked: 3, updated: 0, locked: 0, unchanged: 3, skipped: 0 });
  });

  it('changes nothing when the directory does not answer (nobody is taken to have left)', async () => {
    await slapd.add(`uid=edsger,ou=people,dc=example,dc=org`, { objectClass: 'inetOrgPerson', uid: 'edsger', cn: 'Edsger Dijkstra', sn: 'Dijkstra', givenName: 'Edsger', mail: 'edsger@example.org', userPassword: 'edsger-directory-pw' });
    await signedIn(t, { username: 'edsger', password: 'edsger-directory-pw' });
    await slapd.kill();
    try {
      await expect(t.services.directorySync.run()).rejects.toBeInstanceOf(DirectoryUnavailableError);
    } finally {
      await slapd.startAgain();
    }
    expect((await t.repos.users.findByUsername('edsger'))?.lockedAt).toBeNull();
    expect((await new Visitor(t.app).submit('/login', { identifier: 'edsger', password: 'edsger-directory-pw' })).status).toBe(303);
  });
});
