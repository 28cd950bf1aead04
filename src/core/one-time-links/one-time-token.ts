import crypto from 'node:crypto';

/** 256 bits from the CSPRNG, base64url: 43 characters in a link. Only the digest is stored. */
export function newSecretToken(): { token: string; hash: string } {
  const token = crypto.randomBytes(32).toString('base64url');
  return { token, hash: hashSecretToken(token) };
}

/** What a token in a link looks like; anything else is refused before a database lookup. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function hashSecretToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}
