import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { bool, int } from '../env-values';
import { userFilterProblem } from './user-filter';

/** An attribute's name as LDAP writes it (RFC 4512 descr), or its numeric OID. */
const attribute = (fallback: string) =>
  z
    .string()
    .regex(/^(?:[A-Za-z][A-Za-z0-9-]{0,63}|\d+(?:\.\d+)+)$/, 'must be an attribute name, like uid or sAMAccountName')
    .default(fallback);

/** The LDAP_* variables (README, "People from an LDAP directory"); unset LDAP_URL: no directory. */
export const ldapEnvShape = {
  LDAP_URL: z.string().refine((v) => /^ldaps?:\/\/[^/?#\s]+\/?$/i.test(v) && URL.canParse(v), 'must be ldap://host:port or ldaps://host:port (nothing after the port)').optional(),
  LDAP_BIND_DN: z.string().min(1).max(1024).optional(),
  LDAP_BIND_PASSWORD: z.string().min(1).max(1024).optional(),
  LDAP_BASE_DN: z.string().min(1).max(1024).optional(),
  LDAP_USER_FILTER: z.string().max(1024).default('(|(uid={identifier})(mail={identifier}))'),
  LDAP_ATTR_USERNAME: attribute('uid'),
  LDAP_ATTR_FIRST_NAME: attribute('givenName'),
  LDAP_ATTR_LAST_NAME: attribute('sn'),
  LDAP_ATTR_EMAIL: attribute('mail'),
  LDAP_ATTR_AVATAR: attribute('jpegPhoto'),
  LDAP_ADMIN_GROUP_DN: z.string().min(1).max(1024).optional(),
  LDAP_STARTTLS: bool.default(false),
  LDAP_CA_FILE: z.string().min(1).optional(),
  LDAP_SYNC_MINUTES: int(1, 10_080).default(60),
  LDAP_PASSWORD_CHANGE_URL: z.string().refine((v) => URL.canParse(v) && ['https:', 'http:'].includes(new URL(v).protocol), 'must be an http:// or https:// URL').optional(),
  LDAP_ALLOW_LOCAL_2FA: bool.default(true),
  LDAP_TIMEOUT_MS: int(200, 60_000).default(5000),
};

type LdapEnv = z.output<z.ZodObject<typeof ldapEnvShape>>;

export interface DirectoryAttributes {
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  avatar: string;
}

/** An LDAP directory whose people sign in here, checked at start. */
export interface DirectoryConfig {
  url: string;
  bindDn: string;
  bindPassword: string;
  baseDn: string;
  /** With `{identifier}` where the escaped sign-in name goes. */
  userFilter: string;
  attributes: DirectoryAttributes;
  adminGroupDn?: string;
  startTls: boolean;
  /** The PEM certificates LDAP_CA_FILE names, trusted for ldaps:// and StartTLS. */
  ca?: Buffer;
  syncMs: number;
  passwordChangeUrl?: string;
  allowLocalTwoStep: boolean;
  timeoutMs: number;
}

/** Whether this person may turn on this service's two-step: always, unless they come from a directory that provides its own. */
export function localTwoStepAllowed(directory: Pick<DirectoryConfig, 'allowLocalTwoStep'> | undefined, user: { source: string }): boolean {
  return user.source !== 'ldap' || (directory?.allowLocalTwoStep ?? true);
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/i;

/**
 * The directory's settings and what is wrong with them (one line per problem). A plain
 * ldap:// connection carries every password typed at sign-in in the clear: in production
 * only to a directory on this machine.
 */
export function directoryConfigOf(e: LdapEnv, production: boolean): { directory?: DirectoryConfig; problems: string[] } {
  const set = Object.keys(ldapEnvShape)
    .filter((name) => name !== 'LDAP_URL')
    .filter((name) => e[name as keyof LdapEnv] !== undefined && e[name as keyof LdapEnv] !== LDAP_DEFAULTS[name]);
  if (!e.LDAP_URL) {
    return { problems: set.length > 0 ? [`LDAP_URL: required when ${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set`] : [] };
  }
  const url = new URL(e.LDAP_URL);
  const secure = url.protocol === 'ldaps:';
  const problems = [
    ...(['LDAP_BIND_DN', 'LDAP_BIND_PASSWORD', 'LDAP_BASE_DN'] as const).filter((name) => !e[name]).map((name) => `${name}: required when LDAP_URL is set (the service account that looks people up, and where)`),
    userFilterProblem(e.LDAP_USER_FILTER) && `LDAP_USER_FILTER: ${userFilterProblem(e.LDAP_USER_FILTER)}`,
    secure && e.LDAP_STARTTLS && 'LDAP_STARTTLS: not with ldaps:// (the connection is already encrypted)',
    production && !secure && !e.LDAP_STARTTLS && !LOOPBACK.test(url.hostname) && 'LDAP_URL: ldap:// sends passwords unencrypted; use ldaps:// or set LDAP_STARTTLS=true',
    e.LDAP_CA_FILE !== undefined && !readable(e.LDAP_CA_FILE) && `LDAP_CA_FILE: cannot read ${path.resolve(e.LDAP_CA_FILE)} (PEM certificates)`,
  ].filter((line): line is string => typeof line === 'string');
  if (problems.length > 0) return { problems };
  return {
    problems: [],
    directory: {
      url: e.LDAP_URL,
      bindDn: e.LDAP_BIND_DN as string,
      bindPassword: e.LDAP_BIND_PASSWORD as string,
      baseDn: e.LDAP_BASE_DN as string,
      userFilter: e.LDAP_USER_FILTER,
      attributes: { username: e.LDAP_ATTR_USERNAME, firstName: e.LDAP_ATTR_FIRST_NAME, lastName: e.LDAP_ATTR_LAST_NAME, email: e.LDAP_ATTR_EMAIL, avatar: e.LDAP_ATTR_AVATAR },
      adminGroupDn: e.LDAP_ADMIN_GROUP_DN,
      startTls: e.LDAP_STARTTLS,
      ca: e.LDAP_CA_FILE === undefined ? undefined : fs.readFileSync(e.LDAP_CA_FILE),
      syncMs: e.LDAP_SYNC_MINUTES * 60_000,
      passwordChangeUrl: e.LDAP_PASSWORD_CHANGE_URL,
      allowLocalTwoStep: e.LDAP_ALLOW_LOCAL_2FA,
      timeoutMs: e.LDAP_TIMEOUT_MS,
    },
  };
}

/** The defaults, which say nothing about a directory when LDAP_URL is unset. */
const LDAP_DEFAULTS: Record<string, unknown> = z.object(ldapEnvShape).parse({});

function readable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
