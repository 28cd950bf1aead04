import fs from 'node:fs';
import { Client, InvalidCredentialsError, UnwillingToPerformError } from 'ldapts';
import sharp from 'sharp';
import { ADMIN_GROUP_DN, DIRECTORY_PEOPLE, LOCKED_FOREVER, PEOPLE_DN, PrivateSlapd, SERVICE_DN, SERVICE_PASSWORD, directoryPhoto } from '../helpers/slapd';

// The private OpenLDAP directory the LDAP sign-in suites run against: its fixture, its
// access rules and password policy, StartTLS, and the outages it can stage.
const { ada, grace, linus, alan } = DIRECTORY_PEOPLE;

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url, timeout: 2000 });
  try {
    return await use(client);
  } finally {
    await client.unbind();
  }
}

const bind = (url: string, dn: string, password: string) => withClient(url, (client) => client.bind(dn, password));

async function asService(url: string, filter: string, attributes: string[]) {
  return withClient(url, async (client) => {
    await client.bind(SERVICE_DN, SERVICE_PASSWORD);
    return (await client.search(PEOPLE_DN, { filter, attributes })).searchEntries;
  });
}

describe('A private slapd', () => {
  const slapd = new PrivateSlapd();
  beforeAll(() => slapd.start());
  afterAll(() => slapd.stop());

  it('lets the service account read people and groups, but no password', async () => {
    const [entry] = await asService(slapd.url, '(uid=ada)', ['givenName', 'sn', 'mail', 'userPassword']);
    // ldapts lists a requested attribute the server did not send as empty.
    expect(entry).toEqual({ dn: ada.dn, givenName: 'Ada', sn: 'Lovelace', mail: 'ada@example.org', userPassword: [] });
    const [photo] = await asService(slapd.url, '(uid=grace)', ['jpegPhoto']);
    expect(photo?.jpegPhoto).toEqual(await directoryPhoto());
    expect(await sharp(photo?.jpegPhoto as Buffer).metadata()).toMatchObject({ format: 'jpeg', width: 64, height: 64 });
    const [locked] = await asService(slapd.url, '(uid=linus)', ['pwdAccountLockedTime']);
    expect(locked?.pwdAccountLockedTime).toBe(LOCKED_FOREVER);
    const groups = await withClient(slapd.url, async (client) => {
      await client.bind(SERVICE_DN, SERVICE_PASSWORD);
      return (await client.search(ADMIN_GROUP_DN, { scope: 'base', attributes: ['member'] })).searchEntries;
    });
    expect(groups[0]?.member).toBe(grace.dn);
  });

  it('shows anonymous clients nothing', async () => {
    const found = await withClient(slapd.url, (client) => client.search(PEOPLE_DN, { filter: '(uid=*)' }).then((r) => r.searchEntries, (e: Error) => e.name));
    expect(found).toBe('NoSuchObjectError');
  });

  it('takes the right password, refuses a locked account and a wrong password', async () => {
    await expect(bind(slapd.url, ada.dn, ada.password)).resolves.toBeUndefined();
    await expect(bind(slapd.url, ada.dn, grace.password)).rejects.toBeInstanceOf(InvalidCredentialsError);
    await expect(bind(slapd.url, linus.dn, linus.password)).rejects.toBeInstanceOf(InvalidCredentialsError);
  });

  it('lets a person read only their own entry', async () => {
    const read = (dn: string) =>
      withClient(slapd.url, async (client) => {
        await client.bind(ada.dn, ada.password);
        return client.search(dn, { scope: 'base', attributes: ['mail'] }).then((r) => r.searchEntries[0]?.mail, (e: Error) => e.name);
      });
    expect(await read(ada.dn)).toBe(ada.email);
    expect(await read(alan.dn)).toBe('NoSuchObjectError');
  });

  it('refuses a DN with an empty password (an unauthenticated bind) instead of taking it as anonymous', async () => {
    await expect(bind(slapd.url, ada.dn, '')).rejects.toBeInstanceOf(UnwillingToPerformError);
  });

  it('locks, unlocks and changes passwords as the administrator', async () => {
    await slapd.modify(alan.dn, 'pwdAccountLockedTime', [LOCKED_FOREVER]);
    await expect(bind(slapd.url, alan.dn, alan.password)).rejects.toBeInstanceOf(InvalidCredentialsError);
    await slapd.modify(alan.dn, 'pwdAccountLockedTime', []);
    await slapd.setPassword(alan.dn, 'a-new-password');
    await expect(bind(slapd.url, alan.dn, 'a-new-password')).resolves.toBeUndefined();
    const dn = `uid=newcomer,${PEOPLE_DN}`;
    await slapd.add(dn, { objectClass: 'inetOrgPerson', uid: 'newcomer', cn: 'New Comer', sn: 'Comer', userPassword: 'newcomer-pw' });
    await expect(bind(slapd.url, dn, 'newcomer-pw')).resolves.toBeUndefined();
    await slapd.remove(dn);
    await expect(bind(slapd.url, dn, 'newcomer-pw')).rejects.toBeInstanceOf(InvalidCredentialsError);
  });

  it('hangs while paused, and comes back with its data after a kill', async () => {
    await slapd.pause();
    expect(await slapd.answers()).toBe(false);
    slapd.resume();
    expect(await slapd.answers()).toBe(true);
    await slapd.kill();
    expect(await slapd.answers()).toBe(false);
    await slapd.startAgain();
    await expect(bind(slapd.url, ada.dn, ada.password)).resolves.toBeUndefined();
  });
});

describe('A private slapd with StartTLS', () => {
  const slapd = new PrivateSlapd();
  beforeAll(() => slapd.start({ tls: true }));
  afterAll(() => slapd.stop());

  it('names its settings, the CA file among them', () => {
    expect(slapd.env()).toMatchObject({ LDAP_URL: slapd.url, LDAP_STARTTLS: 'true', LDAP_CA_FILE: slapd.caFile, LDAP_BASE_DN: PEOPLE_DN });
  });

  it('upgrades the connection for a client that trusts its CA, for 127.0.0.1 and localhost', async () => {
    const ca = [fs.readFileSync(slapd.caFile)];
    for (const url of [slapd.url, slapd.url.replace('127.0.0.1', 'localhost')]) {
      await withClient(url, async (client) => {
        await client.startTLS({ ca });
        await client.bind(ada.dn, ada.password);
      });
    }
  });

  it('fails the handshake for a client that does not trust the CA', async () => {
    await expect(withClient(slapd.url, (client) => client.startTLS())).rejects.toMatchObject({ code: 'SELF_SIGNED_CERT_IN_CHAIN' });
  });
});
