import crypto from 'node:crypto';
import bcrypt from 'bcrypt';

/** Crockford's base32 without the letters people confuse (i, l, o, u): 5 bits a character. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
export const RECOVERY_CODE_COUNT = 10;
/** Ten characters: 50 bits, read aloud in two groups of five. */
const CODE_LENGTH = 10;

export function newRecoveryCode(): string {
  const bytes = crypto.randomBytes(CODE_LENGTH);
  const chars = Array.from(bytes, (b) => ALPHABET[b & 31]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** What people type: any case, with or without the dash or spaces; o/i/l read as 0/1/1. */
export function normalizeRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, '').replace(/o/g, '0').replace(/[il]/g, '1');
}

/**
 * Codes carry fewer than 112 bits, so a fast hash would let a stolen table be searched:
 * bcrypt it is. The cost is capped because a sign-in may compare against all ten.
 */
export function createRecoveryCodeHasher(cost: number) {
  const rounds = Math.min(cost, 10);
  return {
    hash: (code: string) => bcrypt.hash(normalizeRecoveryCode(code), rounds),
    matches: (input: string, hash: string) => bcrypt.compare(normalizeRecoveryCode(input), hash),
  };
}

export type RecoveryCodeHasher = ReturnType<typeof createRecoveryCodeHasher>;

/** A fresh set: the codes to show once, and their digests to store. Hashed before any transaction opens. */
export async function newRecoveryCodeSet(hasher: RecoveryCodeHasher): Promise<{ plain: string[]; hashes: string[] }> {
  const plain = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  return { plain, hashes: await Promise.all(plain.map((code) => hasher.hash(code))) };
}
