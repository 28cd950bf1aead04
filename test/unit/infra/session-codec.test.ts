import { Cookie, type SessionData } from 'express-session';
import { cookieOptions } from '../../../src/http/cookies';
import { createSessionCodec } from '../../../src/infra/session-store/session-codec';
import { parseUserAgent } from '../../../src/infra/user-agent';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const HINTS = { 'sec-ch-ua-platform': '"Windows"', 'sec-ch-ua-platform-version': '"15.0.0"', 'sec-ch-ua-full-version-list': '"Google Chrome";v="131.0.6778.86", "Chromium";v="131.0.6778.86"' };
const NOW = Date.now();

const codec = createSessionCodec(cookieOptions({ secure: true }));

/** A cookie as express-session makes it from its options. */
const cookieOf = (options: Record<string, unknown>): Cookie => Object.assign(new Cookie(), options);

/** A session as express-session hands it to the store: a live Cookie, the fields set at sign-in, a CSRF token. */
function signedIn(cookie = cookieOf({ ...cookieOptions({ secure: true }), maxAge: 30 * 60_000 })): SessionData {
  return {
    cookie,
    csrfToken: 'f'.repeat(8) + '0123456789abcdef'.repeat(7).slice(0, 56),
    userId: '7d1e6f7a-3c55-4a43-9e6b-5a0f3f4d2b11',
    createdAt: NOW,
    lastSeenAt: NOW + 61_000,
    lastAuthAt: NOW,
    elevatedUntil: NOW + 600_000,
    authMethod: 'password+totp',
    ip: '2001:db8::7',
    device: parseUserAgent(CHROME, HINTS),
    flash: [{ type: 'success', key: 'auth.signedIn', params: { name: 'Jane' } }],
  } as SessionData;
}

/** What the former format (JSON of the whole session) gave back: the measure of a lossless codec. */
const asJson = (data: SessionData) => JSON.parse(JSON.stringify(data)) as unknown;

describe('The session record format', () => {
  it('gives back exactly the session it was given, cookie attributes included', () => {
    const session = signedIn();
    expect(codec.parse(codec.stringify(session))).toEqual(asJson(session));
  });

  it('writes a signed-in session in well under half the bytes of its JSON, within one 256-byte allocation', () => {
    const settled = { ...signedIn(), flash: undefined };
    const compact = codec.stringify(settled);
    const session = { ...settled, device: undefined, userAgent: CHROME, clientHints: HINTS };
    expect(compact.length).toBeLessThanOrEqual(252);
    expect(compact.length).toBeLessThan(JSON.stringify(session).length / 2);
    for (const attribute of ['httpOnly', 'sameSite', 'secure', 'path', 'cookie', 'userId', 'Mozilla']) expect(compact).not.toContain(attribute);
  });

  it('keeps user ids that are not UUIDs, sign-in methods it has no code for, and engine versions of their own', () => {
    const session = { ...signedIn(), userId: 'Not-A-UUID-7d1e6f7a', authMethod: 'smart_card', device: parseUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1') } as unknown as SessionData;
    expect(codec.parse(codec.stringify(session))).toEqual(asJson(session));
    expect(codec.parse(codec.stringify(signedIn())).userId).toBe('7d1e6f7a-3c55-4a43-9e6b-5a0f3f4d2b11');
  });

  it('keeps cookie attributes that differ from the configuration, and the absence of one it has', () => {
    const cookie = cookieOf({ httpOnly: false, path: '/account', sameSite: 'strict', maxAge: 60_000 });
    const session = signedIn(cookie);
    const parsed = codec.parse(codec.stringify(session));
    expect(parsed).toEqual(asJson(session));
    expect(parsed.cookie).not.toHaveProperty('secure');
  });

  it('keeps a visitor\'s session, with no sign-in times, and fields it has no short name for', () => {
    const visitor = { cookie: cookieOf({ ...cookieOptions({ secure: true }), maxAge: 3_600_000 }), csrfToken: 'not hex: a token of another shape', lang: 'de', theme: { name: 'dark' } } as unknown as SessionData;
    expect(codec.parse(codec.stringify(visitor))).toEqual(asJson(visitor));
  });

  it('keeps a session cookie without expiry (a browser-session cookie)', () => {
    const session = signedIn(cookieOf({ ...cookieOptions({ secure: true }) }));
    expect(codec.parse(codec.stringify(session))).toEqual(asJson(session));
  });

  it('reads a session written in the former format, the device parsed from its User-Agent and client hints', () => {
    const { device, ...rest } = signedIn();
    const former = JSON.stringify({ ...rest, userAgent: CHROME, clientHints: HINTS });
    const parsed = codec.parse(former);
    expect(parsed).toEqual({ ...(JSON.parse(former) as object), userAgent: undefined, clientHints: undefined, device });
    expect(parsed).not.toHaveProperty('userAgent');
    expect(parsed.device).toMatchObject({ browser: 'Chrome', os: 'Windows', osVersion: '11' });
  });
});
