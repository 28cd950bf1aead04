import type { SessionData } from 'express-session';
import { parseUserAgent, type DeviceDescription } from '../user-agent';
import type { AuthMethod } from './session-data';

/**
 * How a session is written to Redis: a million signed-in sessions must fit in a few hundred
 * megabytes, so the record is JSON with one-letter names, the device as a positional list,
 * times after `createdAt` as offsets from it, the CSRF token and the user id as base64url
 * instead of hex, the sign-in method as a code, and the cookie reduced to its expiry and
 * lifetime: its attributes are the configuration's (`cookieDefaults`) and are stored only
 * where they differ. A signed-in session so takes about 240 bytes, which Redis's allocator
 * keeps in a 256-byte block (at 257 it would take 320). Decoding gives back exactly what was
 * encoded. Records written before this format (JSON of the whole session, with a `cookie`
 * object) still decode, so a deploy signs no one out.
 */
export interface SessionCodec {
  stringify(data: SessionData): string;
  parse(raw: string): SessionData;
}

/** The attributes every session cookie carries (cookieOptions of the configuration). */
export type CookieDefaults = Partial<Record<'httpOnly' | 'secure' | 'sameSite' | 'path' | 'domain', unknown>>;

/** Short names of the fields a session holds; any other field is kept under `_` with its own name. */
const SHORT_NAMES = {
  userId: 'u',
  createdAt: 'c',
  lastSeenAt: 's',
  lastAuthAt: 'a',
  elevatedUntil: 'e',
  authMethod: 'm',
  ip: 'i',
  device: 'd',
  flash: 'f',
  pendingSignIn: 'p',
  webauthn: 'w',
  totpSetup: 't',
  newRecoveryCodes: 'r',
  newSecret: 'n',
  pendingForm: 'o',
  twoStep: 'q',
  authProvider: 'v',
} as const satisfies Partial<Record<keyof SessionData, string>>;

/** Times stored as an offset from `createdAt`: a few digits instead of thirteen. */
const OFFSET_FIELDS = new Set<string>(['lastSeenAt', 'lastAuthAt', 'elevatedUntil']);

/** The order of a device's fields in its stored list; trailing empty ones are left off. */
const DEVICE_FIELDS = ['browser', 'browserVersion', 'os', 'osVersion', 'deviceVendor', 'deviceModel', 'deviceType', 'engine', 'engineVersion', 'cpu'] as const satisfies ReadonlyArray<keyof DeviceDescription>;

/** Sign-in methods by code; a method without one is stored as it is. */
const METHOD_CODES = {
  password: 'p',
  'password+totp': 'pt',
  'password+passkey': 'pk',
  recovery_code: 'r',
  passkey: 'k',
  set_password: 's',
  oidc: 'o',
  'oidc+totp': 'ot',
  'oidc+passkey': 'ok',
  'oidc+recovery_code': 'or',
} as const satisfies Record<AuthMethod, string>;

/** Names of the record's own parts, beside the short names above. */
const COOKIE_EXPIRES = 'x';
const COOKIE_MAX_AGE = 'g';
const COOKIE_OTHER = 'k';
const CSRF_TOKEN = 'h';
/** A user id that is a UUID, as 22 base64url characters (other ids keep `u`). */
const USER_UUID = 'U';
const OTHER = '_';

const LONG_NAMES = new Map<string, string>(Object.entries(SHORT_NAMES).map(([long, short]) => [short, long]));
const METHODS = new Map<unknown, string>(Object.entries(METHOD_CODES).map(([method, code]) => [code, method]));
const HEX = /^(?:[0-9a-f]{2})+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const hexToBase64url = (hex: string) => Buffer.from(hex, 'hex').toString('base64url');
const base64urlToHex = (text: string) => Buffer.from(text, 'base64url').toString('hex');
const uuidOf = (text: string) => base64urlToHex(text).replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');

type Stored = Record<string, unknown>;

export function createSessionCodec(cookieDefaults: CookieDefaults = {}): SessionCodec {
  return {
    stringify: (data) => JSON.stringify(encode(data, cookieDefaults)),
    parse: (raw) => {
      const stored = JSON.parse(raw) as Stored;
      return 'cookie' in stored ? upgradeSessionData(stored as unknown as SessionData) : decode(stored, cookieDefaults);
    },
  };
}

/** A session as written before the compact format: the user agent (and client hints) become the parsed device. */
export function upgradeSessionData(data: SessionData): SessionData {
  const { userAgent, clientHints, ...rest } = data as SessionData & { userAgent?: string; clientHints?: Record<string, string> };
  if (userAgent === undefined && clientHints === undefined) return data;
  return { ...rest, device: rest.device ?? parseUserAgent(userAgent ?? '', clientHints) } as SessionData;
}

function encode(data: SessionData, cookieDefaults: CookieDefaults): Stored {
  const stored: Stored = {};
  const other: Stored = {};
  const createdAt = data.createdAt;
  for (const [name, value] of Object.entries(data) as Array<[string, unknown]>) {
    if (value === undefined) continue;
    const short = (SHORT_NAMES as Record<string, string>)[name];
    if (name === 'cookie') Object.assign(stored, encodeCookie(value as Stored, cookieDefaults, createdAt));
    else if (name === 'csrfToken' && typeof value === 'string' && HEX.test(value)) stored[CSRF_TOKEN] = hexToBase64url(value);
    else if (name === 'userId' && typeof value === 'string' && UUID.test(value)) stored[USER_UUID] = hexToBase64url(value.replace(/-/g, ''));
    else if (name === 'authMethod') stored[SHORT_NAMES.authMethod] = (METHOD_CODES as Record<string, string>)[value as string] ?? value;
    else if (name === 'device') stored[SHORT_NAMES.device] = encodeDevice(value as DeviceDescription);
    else if (OFFSET_FIELDS.has(name) && typeof value === 'number' && typeof createdAt === 'number') stored[short as string] = value - createdAt;
    else if (short) stored[short] = value;
    else other[name] = value;
  }
  if (Object.keys(other).length > 0) stored[OTHER] = other;
  return stored;
}

function decode(stored: Stored, cookieDefaults: CookieDefaults): SessionData {
  const createdAt = stored[SHORT_NAMES.createdAt];
  const data: Stored = { cookie: decodeCookie(stored, cookieDefaults, createdAt) };
  for (const [short, value] of Object.entries(stored)) {
    const name = LONG_NAMES.get(short);
    if (short === CSRF_TOKEN) data.csrfToken = base64urlToHex(value as string);
    else if (short === USER_UUID) data.userId = uuidOf(value as string);
    else if (name === 'authMethod') data.authMethod = METHODS.get(value) ?? value;
    else if (short === OTHER) Object.assign(data, value);
    else if (name === 'device') data.device = decodeDevice(value as Array<string | null>);
    else if (name && OFFSET_FIELDS.has(name) && typeof createdAt === 'number') data[name] = createdAt + (value as number);
    else if (name) data[name] = value;
  }
  return data as unknown as SessionData;
}

/** express-session's cookie as JSON: expires (an ISO date or null), originalMaxAge and the attributes. */
function encodeCookie(cookie: Stored & { toJSON?: () => Stored }, cookieDefaults: CookieDefaults, createdAt: unknown): Stored {
  const since = typeof createdAt === 'number' ? createdAt : 0;
  const stored: Stored = {};
  const attributes: Stored = {};
  const json = Object.fromEntries(Object.entries(cookie.toJSON?.() ?? cookie).filter(([, value]) => value !== undefined));
  for (const [name, value] of Object.entries(json)) {
    if (name === 'expires') stored[COOKIE_EXPIRES] = value === null ? null : new Date(value as string).getTime() - since;
    else if (name === 'originalMaxAge') stored[COOKIE_MAX_AGE] = value;
    else if (value !== (cookieDefaults as Stored)[name]) attributes[name] = value;
  }
  for (const name of Object.keys(cookieDefaults)) if (!(name in json)) attributes[name] = null;
  if (Object.keys(attributes).length > 0) stored[COOKIE_OTHER] = attributes;
  return stored;
}

function decodeCookie(stored: Stored, cookieDefaults: CookieDefaults, createdAt: unknown): Stored {
  const expires = stored[COOKIE_EXPIRES];
  const since = typeof createdAt === 'number' ? createdAt : 0;
  const cookie: Stored = { ...cookieDefaults, originalMaxAge: stored[COOKIE_MAX_AGE] ?? null, expires: typeof expires === 'number' ? new Date(since + expires).toISOString() : null };
  for (const [name, value] of Object.entries((stored[COOKIE_OTHER] ?? {}) as Stored)) {
    if (value === null) delete cookie[name];
    else cookie[name] = value;
  }
  return cookie;
}

/** Chromium's and Firefox's engines share the browser's version: then it is stored as null. */
function encodeDevice(device: DeviceDescription): Array<string | null> {
  const values: Array<string | null> = DEVICE_FIELDS.map((field) => device[field] ?? '');
  if (device.engineVersion && device.engineVersion === device.browserVersion) values[DEVICE_FIELDS.indexOf('engineVersion')] = null;
  while (values.length > 0 && values[values.length - 1] === '') values.pop();
  return values;
}

function decodeDevice(values: Array<string | null>): DeviceDescription {
  const device = Object.fromEntries(DEVICE_FIELDS.map((field, i) => [field, values[i] ?? ''])) as unknown as DeviceDescription;
  if (values[DEVICE_FIELDS.indexOf('engineVersion')] === null) device.engineVersion = device.browserVersion;
  return device;
}
