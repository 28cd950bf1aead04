import crypto from 'node:crypto';
import bcrypt from 'bcrypt';
import { createSlots } from '../../infra/thread-pool';

/**
 * bcrypt reads only 72 bytes, so the password is first condensed with HMAC-SHA256,
 * keyed with the bcrypt salt (as passlib's bcrypt_sha256 v2: an unsalted SHA-256 would
 * let hashes leaked elsewhere be tested against ours), and base64-encoded (no NUL bytes).
 * The stored value names its scheme so that it can be upgraded later.
 */
const SCHEME = 'bcrypt-sha256-v1$';
const SALT_LENGTH = 29; // "$2b$12$" + 22 characters of salt

function condense(password: string, salt: string): string {
  return crypto.createHmac('sha256', salt).update(password, 'utf8').digest('base64');
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string | null): Promise<boolean>;
  /** True when the stored hash uses another scheme or cost than today's. */
  needsRehash(stored: string): boolean;
  /** Spends the same time as verify() for an account that does not exist. */
  verifyDummy(password: string): Promise<false>;
}

/**
 * `concurrency`: how many hashes may use libuv's thread pool at once (the rest wait here,
 * not in the pool's queue, where file reads and DNS lookups would wait behind them).
 */
export function createPasswordHasher(options: { cost: number; concurrency?: number }): PasswordHasher {
  const slot = createSlots(options.concurrency ?? 1);
  const hash = async (password: string) => {
    const salt = await bcrypt.genSalt(options.cost);
    return SCHEME + (await slot(() => bcrypt.hash(condense(password, salt), salt)));
  };
  const verify = async (password: string, stored: string | null) => {
    if (!stored?.startsWith(SCHEME)) return false;
    const inner = stored.slice(SCHEME.length);
    return slot(() => bcrypt.compare(condense(password, inner.slice(0, SALT_LENGTH)), inner));
  };
  const dummy = hash(crypto.randomBytes(16).toString('hex'));
  return {
    hash,
    verify,
    needsRehash: (stored) => !stored.startsWith(SCHEME) || bcrypt.getRounds(stored.slice(SCHEME.length)) !== options.cost,
    async verifyDummy(password) {
      await verify(password, await dummy);
      return false;
    },
  };
}
