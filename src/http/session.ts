import type { Request, Response } from 'express';
import type { SessionData, SessionOptions, Store } from 'express-session';
import type { Config } from '../config';
import type { Clock } from '../infra/clock';
import type { AuthMethod, FlashMessage, TwoStepMark } from '../infra/session-store/session-data';
import { cookieName, cookieOptions } from './cookies';
import { clientIp } from './request-context';
import { clientHintsOf, parseUserAgent } from '../infra/user-agent';
import { newSessionId, userTag } from '../infra/session-store/session-ids';

/** The user a session being regenerated is for, while express-session asks for its new id. */
const regeneratingFor = new WeakMap<Request, string>();

/**
 * How express-session runs here. `genid` draws every id from crypto.randomBytes (24
 * bytes, 192 bits, like express-session's own generator) and starts a signed-in one with
 * its user's hash tag, so that the user's sessions share a Redis Cluster slot with their index.
 */
export function sessionOptions(config: Config, store: Store): SessionOptions {
  return {
    name: cookieName('sid', config),
    secret: config.sessionSecret,
    genid: (req: Request) => {
      const userId = regeneratingFor.get(req);
      return newSessionId(userId === undefined ? undefined : userTag(config.sessionSecret, userId));
    },
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    // Behind TLS termination, the proxy's X-Forwarded-Proto decides whether the cookie may be set.
    proxy: config.secure ? true : undefined,
    cookie: { ...cookieOptions(config), maxAge: config.anonymousSessionMs },
  };
}

function promisify(run: (done: (err?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => run((err) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve())));
}

export const regenerateSession = (req: Request) => promisify((done) => req.session.regenerate(done));

/** A new session id for the user's session, tagged with the user. */
async function regenerateSessionFor(req: Request, userId: string | undefined): Promise<void> {
  if (userId === undefined) return regenerateSession(req);
  regeneratingFor.set(req, userId);
  try {
    await regenerateSession(req);
  } finally {
    regeneratingFor.delete(req);
  }
}
export const saveSession = (req: Request) => promisify((done) => req.session.save(done));
export const destroySession = (req: Request) => promisify((done) => req.session.destroy(done));

/** How long the "you were signed in" hint outlives the session, to explain an expiry. */
const SIGNED_IN_HINT_MS = 30 * 24 * 3_600_000;

/**
 * Makes this request's session a signed-in one: a new session id (no fixation), the
 * timestamps the timeouts and the Sessions tab rely on, and the idle lifetime.
 */
export async function startSignedInSession(
  req: Request,
  res: Response,
  options: {
    userId: string;
    method: AuthMethod;
    /** The identity provider of an `oidc` sign-in. */
    provider?: string;
    clock: Clock;
    config: Config;
    carry?: { flash?: FlashMessage[]; twoStep?: TwoStepMark };
    /** Ends the oldest sessions beyond MAX_SESSIONS_PER_USER, once this one is stored. */
    enforceLimit?: (userId: string, sid: string) => Promise<void>;
  },
): Promise<void> {
  await regenerateSessionFor(req, options.userId);
  const now = options.clock.now().getTime();
  Object.assign(req.session, {
    userId: options.userId,
    createdAt: now,
    lastSeenAt: now,
    lastAuthAt: now,
    elevatedUntil: now + options.config.reauthMs,
    authMethod: options.method,
    authProvider: options.provider,
    ip: clientIp(req),
    device: parseUserAgent(req.get('user-agent') ?? '', clientHintsOf(req.headers)),
    flash: options.carry?.flash,
    twoStep: options.carry?.twoStep,
  });
  req.session.cookie.maxAge = options.config.sessionIdleMs;
  res.cookie(cookieName('signed_in', options.config), '1', { ...cookieOptions(options.config), maxAge: SIGNED_IN_HINT_MS });
  await saveSession(req);
  await options.enforceLimit?.(options.userId, req.sessionID);
}

/**
 * A new session id for the same session (a privilege change, such as confirming one's
 * identity): the data moves over, the old id stops working.
 */
export async function rotateSession(req: Request, changes: Partial<SessionData>): Promise<void> {
  const { cookie, ...data } = req.session;
  const maxAge = cookie.originalMaxAge;
  await regenerateSessionFor(req, data.userId);
  Object.assign(req.session, data, changes);
  if (maxAge) req.session.cookie.maxAge = maxAge;
  await saveSession(req);
}

/**
 * The person just proved who they are again (re-authentication, by password, passkey or
 * identity provider): a new session id and a fresh step-up window, and a word saying so.
 */
export async function confirmIdentity(req: Request, clock: Clock, config: Config): Promise<void> {
  const now = clock.now().getTime();
  await rotateSession(req, { lastAuthAt: now, elevatedUntil: now + config.reauthMs, lastSeenAt: now });
  flash(req, { type: 'success', key: 'reauth.confirmed' });
}

/**
 * After the account's sessions were ended by a change (password, undone email change):
 * this request continues as a visitor, with a fresh session to carry the message.
 */
export async function continueSignedOut(req: Request, res: Response, config: Config): Promise<void> {
  await regenerateSession(req);
  res.clearCookie(cookieName('signed_in', config), cookieOptions(config));
}

/** Ends the session on the server and in the browser. */
export async function endSession(req: Request, res: Response, config: Config): Promise<void> {
  await destroySession(req);
  res.clearCookie(cookieName('sid', config), cookieOptions(config));
  res.clearCookie(cookieName('signed_in', config), cookieOptions(config));
}

/**
 * This request is answered without the session store, which may be the back-end that is
 * down: nothing of the session is saved, destroyed or touched and no cookie is set (an
 * express-session request without a session id), and the page's forms carry no token,
 * since none could be stored. Otherwise express-session would save the session as the
 * response ends, after the status line was sent, and a failure there would break the
 * connection, and with it the next request the browser sends on it.
 */
export function answerWithoutSession(req: Request, res: Response): void {
  (req as { sessionID?: string }).sessionID = undefined;
  res.locals.sessionNeedsSave = false;
  res.locals.csrfToken = () => '';
  res.locals.csrfField = () => '';
}

export function flash(req: Request, message: FlashMessage): void {
  req.session.flash = [...(req.session.flash ?? []), message];
}

export function takeFlash(req: Request): FlashMessage[] {
  const messages = req.session?.flash ?? [];
  if (messages.length > 0) delete req.session.flash;
  return messages;
}
