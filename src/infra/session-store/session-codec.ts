import type { SessionData } from 'express-session';
import { parseUserAgent, type DeviceDescription } from '../user-agent';

/**
 * How a session is written to Redis: a million signed-in sessions must fit in a few hundred
 * megabytes, so the record is JSON with one-letter names, the device as a positional list,
 * times after `createdAt` as offsets from it, the CSRF token as base64url instead of hex,
 * and the cookie reduced to its expiry and lifetime: its attributes are the configuration's
 * (`cookieDefaults`) and are stored only where they differ. Decoding gives back exactly what
 * was encoded. Records written before this format (JSON of the whole session, with a
 * `cookie` object) still decode, so a deploy signs no one out.
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
} as const satisfies Partial<Record<keyof SessionData, string>>;

/** Times stored as an offset from `createdAt`: a few digits instead of thirteen. */
const OFFSET_FIELDS = new Set<string>(['lastSeenAt', 'lastAuthAt', 'elevatedUntil']);

/** The order of a device's fields in its stored list; trailing empty ones are left off. */
const DEVICE_FIELDS = ['browser', 'browserVersion', 'os', 'osVersion', 'deviceVendor', 'deviceModel', 'deviceType', 'engine', 'engineVersion', 'cpu'] as const satisfies ReadonlyArray<keyof DeviceDescription>;

/** Names of the record's own parts, beside the short names above. */
const COOKIE_EXPIRES = 'x';
const COOKIE_MAX_AGE = 'g';
const COOKIE_OTHER = 'k';
const CSRF_TOKEN = 'h';
const OTHER = '_';

const LONG_NAMES = new Map<string, string>(Object.entries(SHORT_NAMES).map(([long, short]) => [short, long]));
const HEX = /^(?:[0-9a-f]{2})+$/;

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
    if (name === 'cookie') Object.assign(stored, encodeCookie(value as Stored, cookieDefaults));
    else if (name === 'csrfToken' && typeof value === 'string' && HEX.test(value)) stored[CSRF_TOKEN] = Buffer.from(value, 'hex').toString('base64url');
    else if (name === 'device') stored[SHORT_NAMES.device] = encodeDevice(value as DeviceDescription);
    else if (OFFSET_FIELDS.has(name) && typeof value === 'number' && typeof createdAt === 'number') stored[short as string] = value - createdAt;
    else if (short) stored[short] = value;
    else other[name] = value;
  }
  if (Object.keys(other).length > 0) stored[OTHER] = other;
  return stored;
}

function decode(stored: Stored, cookieDefaults: CookieDefaults): SessionData {
  const data: Stored = { cookie: decodeCookie(stored, cookieDefaults) };
  const createdAt = stored[SHORT_NAMES.createdAt];
  for (const [short, value] of Object.entries(stored)) {
    const name = LONG_NAMES.get(short);
    if (short === CSRF_TOKEN) data.csrfToken = Buffer.from(value as string, 'base64url').toString('hex');
    else if (short === OTHER) Object.assign(data, value);
    else if (name === 'device') data.device = decodeDevice(value as string[]);
    else if (name && OFFSET_FIELDS.has(name) && typeof createdAt === 'number') data[name] = createdAt + (value as number);
    else if (name) data[name] = value;
  }
  return data as unknown as SessionData;
}

/** express-session's cookie as JSON: expires (an ISO date or null), originalMaxAge and the attributes. */
function encodeCookie(cookie: Stored & { toJSON?: () => Stored }, cookieDefaults: CookieDefaults): Stored {
  const stored: Stored = {};
  const attributes: Stored = {};
  const json = Object.fromEntries(Object.entries(cookie.toJSON?.() ?? cookie).filter(([, value]) => value !== undefined));
  for (const [name, value] of Object.entries(json)) {
    if (name === 'expires') stored[COOKIE_EXPIRES] = value === null || value === undefined ? null : new Date(value as string).getTime();
    else if (name === 'originalMaxAge') stored[COOKIE_MAX_AGE] = value;
    else if (value !== (cookieDefaults as Stored)[name]) attributes[name] = value;
  }
  for (const name of Object.keys(cookieDefaults)) if (!(name in json)) attributes[name] = null;
  if (Object.keys(attributes).length > 0) stored[COOKIE_OTHER] = attributes;
  return stored;
}

function decodeCookie(stored: Stored, cookieDefaults: CookieDefaults): Stored {
  const expires = stored[COOKIE_EXPIRES];
  const cookie: Stored = { ...cookieDefaults, originalMaxAge: stored[COOKIE_MAX_AGE] ?? null, expires: typeof expires === 'number' ? new Date(expires).toISOString() : null };
  for (const [name, value] of Object.entries((stored[COOKIE_OTHER] ?? {}) as Stored)) {
    if (value === null) delete cookie[name];
    else cookie[name] = value;
  }
  return cookie;
}

function encodeDevice(device: DeviceDescription): string[] {
  const values = DEVICE_FIELDS.map((field) => device[field] ?? '');
  while (values.length > 0 && values[values.length - 1] === '') values.pop();
  return values;
}

function decodeDevice(values: string[]): DeviceDescription {
  return Object.fromEntries(DEVICE_FIELDS.map((field, i) => [field, values[i] ?? ''])) as unknown as DeviceDescription;
}
