import crypto from 'node:crypto';
import zlib from 'node:zlib';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(bytes: Buffer, length: number): string {
  let out = '';
  let value = BigInt(`0x${bytes.toString('hex')}`);
  while (out.length < length) {
    out = BASE62[Number(value % 62n)] + out;
    value /= 62n;
  }
  return out;
}

/** CRC32 of the random part, 6 base62 characters: lets scanners tell a real token from noise. */
function checksum(body: string): string {
  const crc = zlib.crc32(body);
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(crc);
  return base62(buffer, 6);
}

export const TOKEN_PREFIX = 'pat_';
/** 30 base62 characters: 178 bits from the CSPRNG. */
const TOKEN_BODY = 30;

/** A personal access token: `pat_` + 30 random base62 characters + a 6-character checksum. */
export function newApiToken(): string {
  const body = base62(crypto.randomBytes(24), TOKEN_BODY);
  return `${TOKEN_PREFIX}${body}${checksum(body)}`;
}

/** Whether a string has a token's shape and checksum (a typo or a foreign token fails before any lookup). */
export function isWellFormedApiToken(token: string): boolean {
  const match = /^pat_([0-9A-Za-z]{30})([0-9A-Za-z]{6})$/.exec(token);
  return Boolean(match && checksum(match[1] as string) === match[2]);
}

/** What lists show: the prefix and the last four characters. */
export function maskSecret(secret: string, prefix = ''): string {
  return `${prefix}…${secret.slice(-4)}`;
}

/** Only digests are stored: SHA-256 suffices for secrets of 120 bits and more. */
export function secretDigest(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}

const APP_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** An app password: 24 characters from 31 (about 119 bits), in groups of four to copy by eye. */
export function newAppPassword(): string {
  const chars = Array.from({ length: 24 }, () => APP_ALPHABET[crypto.randomInt(APP_ALPHABET.length)]).join('');
  return chars.match(/.{4}/g)?.join('-') ?? chars;
}

/** The same password whatever the grouping a client sends. */
export function normalizeAppPassword(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, '');
}
