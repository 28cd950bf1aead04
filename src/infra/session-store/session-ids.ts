import crypto from 'node:crypto';

/**
 * Session ids, and the Redis hash tag a signed-in one carries. On a Redis Cluster a
 * transaction may only touch keys of one hash slot; a user's sessions and the index of
 * them are changed together, so a signed-in session's id starts with a tag derived from
 * its user, `{tag}`, which Redis hashes instead of the whole key. Anonymous sessions
 * have no index and no tag; ids made before tags existed stay valid.
 */

/** 24 bits: enough to spread users evenly over a cluster's 16384 slots, short in every key and cookie. */
const TAG_LENGTH = 4;

/** A short HMAC of the user id under the session secret: the cookie never shows the id, and cannot be matched to it without the secret. */
export function userTag(secret: string, userId: string): string {
  return crypto.createHmac('sha256', secret).update(`session-slot:${userId}`).digest('base64url').slice(0, TAG_LENGTH);
}

/** 24 random bytes (192 bits, as express-session's own ids), behind the user's tag when one is given. */
export function newSessionId(tag?: string): string {
  const random = crypto.randomBytes(24).toString('base64url');
  return tag ? `{${tag}}${random}` : random;
}

/** The `{tag}` a session id starts with, or '' for an anonymous or older one. */
export function sessionIdTag(sid: string): string {
  return /^\{[\w-]+\}/.exec(sid)?.[0] ?? '';
}
