import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { AndFilter, Client, EqualityFilter, OrFilter, ResultCodeError, type Entry, type Filter } from 'ldapts';
import { ValidationError } from '../errors';
import type { DirectoryConfig } from './ldap-config';
import { userFilter } from './user-filter';

/** The directory did not answer, or refused the service account: not the person's fault. */
export class DirectoryUnavailableError extends ValidationError {
  constructor(readonly reason?: unknown) {
    super({ _form: { key: 'directory.errors.unavailable' } }, 'directory.errors.unavailable', 503, 'directory_unavailable');
  }
}

/** One person's entry, in this service's terms. */
export interface DirectoryPerson {
  dn: string;
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  avatar?: Buffer;
  /** AD's userAccountControl says ACCOUNTDISABLE, or OpenLDAP's password policy locked it for good. */
  disabled: boolean;
  /** A member of LDAP_ADMIN_GROUP_DN; undefined when no such group is configured. */
  admin?: boolean;
}

/** userAccountControl's ACCOUNTDISABLE bit (Active Directory). */
const ACCOUNT_DISABLE = 0x2;
/**
 * pwdAccountLockedTime's value for "locked until an administrator unlocks" (OpenLDAP
 * ppolicy). Any other value is a lockout after failed binds, which ends by itself: the
 * directory refuses binds meanwhile, and the sync must not make it permanent here (or
 * anyone could get a person locked out by guessing wrong).
 */
const LOCKED_BY_ADMINISTRATOR = '000001010000Z';

function first(entry: Entry, attribute: string): string {
  const value = entry[attribute];
  const one = Array.isArray(value) ? value[0] : value;
  return one === undefined ? '' : Buffer.isBuffer(one) ? one.toString('utf8') : one;
}

function firstBuffer(entry: Entry, attribute: string): Buffer | undefined {
  const value = entry[attribute];
  const one = Array.isArray(value) ? value[0] : value;
  return Buffer.isBuffer(one) && one.length > 0 ? one : undefined;
}

/**
 * The LDAP conversation, through ldapts: each use opens its own connection (StartTLS first
 * when configured), binds as the service account, searches under LDAP_BASE_DN, and only
 * then, to check a password, binds as the person found. Nothing here decides what a found
 * person may do; the directory feature does.
 */
export function createDirectoryClient(config: DirectoryConfig) {
  const attrs = config.attributes;
  const wanted = [attrs.username, attrs.firstName, attrs.lastName, attrs.email, attrs.avatar, 'userAccountControl', 'pwdAccountLockedTime'];

  const url = new URL(config.url);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  /**
   * A new object each time (ldapts keeps the socket in it). The certificate must name the
   * host of LDAP_URL and chain to LDAP_CA_FILE (or to the system's CAs).
   */
  const tlsOptions = (): ConnectionOptions => ({ host, servername: isIP(host) ? undefined : host, ...(config.ca ? { ca: [config.ca] } : {}) });

  async function session<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({
      url: config.url,
      timeout: config.timeoutMs,
      connectTimeout: config.timeoutMs,
      // TLS options make ldapts speak TLS from the start: only for ldaps://, never before StartTLS.
      tlsOptions: url.protocol === 'ldaps:' ? tlsOptions() : undefined,
      strictDN: false,
    });
    try {
      if (config.startTls) await client.startTLS(tlsOptions());
      await client.bind(config.bindDn, config.bindPassword);
      return await work(client);
    } catch (err) {
      if (err instanceof DirectoryUnavailableError) throw err;
      throw new DirectoryUnavailableError(err);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  async function isAdmin(client: Client, dn: string, username: string): Promise<boolean | undefined> {
    if (!config.adminGroupDn) return undefined;
    const filter = new OrFilter({
      filters: [new EqualityFilter({ attribute: 'member', value: dn }), new EqualityFilter({ attribute: 'uniqueMember', value: dn }), new EqualityFilter({ attribute: 'memberUid', value: username })],
    });
    try {
      const { searchEntries } = await client.search(config.adminGroupDn, { scope: 'base', filter, attributes: ['1.1'] });
      return searchEntries.length > 0;
    } catch (err) {
      // No such group: nobody is a member (the sync's summary and /readyz show the rest).
      if ((err as { code?: number }).code === 32) return false;
      throw err;
    }
  }

  /** Exactly one entry, or none: a filter that matches two people identifies nobody. */
  async function findOne(client: Client, filter: Filter): Promise<DirectoryPerson | undefined> {
    const { searchEntries } = await client.search(config.baseDn, { scope: 'sub', filter, attributes: wanted, sizeLimit: 2, explicitBufferAttributes: [attrs.avatar] }).catch((err: unknown) => {
      // sizeLimitExceeded: more than one match.
      if ((err as { code?: number }).code === 4) return { searchEntries: [{ dn: '' }, { dn: '' }] as Entry[] };
      throw err;
    });
    const entry = searchEntries.length === 1 ? searchEntries[0] : undefined;
    if (!entry) return undefined;
    const username = first(entry, attrs.username);
    return {
      dn: entry.dn,
      username,
      firstName: first(entry, attrs.firstName),
      lastName: first(entry, attrs.lastName),
      email: first(entry, attrs.email),
      avatar: firstBuffer(entry, attrs.avatar),
      disabled: (Number(first(entry, 'userAccountControl')) & ACCOUNT_DISABLE) !== 0 || first(entry, 'pwdAccountLockedTime') === LOCKED_BY_ADMINISTRATOR,
      admin: await isAdmin(client, entry.dn, username),
    };
  }

  const byUsername = (username: string) => new AndFilter({ filters: [new EqualityFilter({ attribute: attrs.username, value: username })] });

  /**
   * The one person `filter` finds, when `password` is theirs. An empty password is refused
   * here, never sent: LDAP servers take a bind without one as anonymous, and say yes.
   */
  async function bindAs(filter: () => Filter, password: string): Promise<DirectoryPerson | undefined> {
    if (password === '') return undefined;
    return session(async (client) => {
      const person = await findOne(client, filter());
      if (!person) return undefined;
      try {
        await client.bind(person.dn, password);
      } catch (err) {
        // Any refusal the directory states (49 wrong password, 53 a disabled account in some
        // servers, 19 a password policy's): no entry for this person. No answer at all is
        // the directory being unavailable.
        if (err instanceof ResultCodeError) return undefined;
        throw err;
      }
      return person;
    });
  }

  return {
    /** The person this sign-in name (LDAP_USER_FILTER) and password belong to; undefined when none, several, or a wrong password. */
    authenticate(identifier: string, password: string): Promise<DirectoryPerson | undefined> {
      return bindAs(() => userFilter(config.userFilter, identifier), password);
    },

    /** Whether `password` is the directory's for this username (re-authentication). */
    async verify(username: string, password: string): Promise<DirectoryPerson | undefined> {
      return bindAs(() => byUsername(username), password);
    },

    /** The entry whose username attribute is exactly `username` (the sync's look-up). */
    async lookup(username: string): Promise<DirectoryPerson | undefined> {
      return session((client) => findOne(client, byUsername(username)));
    },

    /** Whether the directory answers and accepts the service account (/readyz). */
    async ping(): Promise<void> {
      await session(async () => undefined);
    },
  };
}

export type DirectoryClient = ReturnType<typeof createDirectoryClient>;
