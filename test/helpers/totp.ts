import crypto from 'node:crypto';

/**
 * RFC 6238 written out over node:crypto, independent of the otplib the service uses,
 * so that the tests check the service rather than the library against itself.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(input: string): Buffer {
  const clean = input.replace(/[\s=]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const index = ALPHABET.indexOf(ch);
    if (index < 0) throw new Error(`Not base32: ${ch}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function hotp(key: Buffer, counter: number, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = crypto.createHmac('sha1', key).update(message).digest();
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(code).padStart(digits, '0');
}

/** The code an authenticator app shows at `at` for a base32 secret. */
export function totpAt(secret: string, at: Date | number, stepOffset = 0): string {
  const counter = Math.floor(new Date(at).getTime() / 1000 / 30) + stepOffset;
  return hotp(base32Decode(secret), counter);
}

/** The secret as the enrolment page shows it (groups of four). */
export function secretOnPage(html: string): string {
  const match = /id="totp-secret">([A-Z2-7 ]+)</.exec(html);
  if (!match?.[1]) throw new Error('No secret on the page');
  return match[1].replace(/\s/g, '');
}
