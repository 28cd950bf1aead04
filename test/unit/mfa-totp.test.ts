import { base32Decode, hotp } from '../helpers/totp';
import { matchTotp } from '../../src/features/mfa/totp';
import { normalizeRecoveryCode, newRecoveryCode } from '../../src/features/mfa/recovery-codes';

describe('The test TOTP implementation', () => {
  it('matches the RFC 6238 test vectors (SHA-1)', () => {
    const key = Buffer.from('12345678901234567890');
    const vectors: Array<[number, string]> = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [seconds, code] of vectors) expect(hotp(key, Math.floor(seconds / 30), 8)).toBe(code);
  });

  it('decodes base32', () => {
    expect(base32Decode('GEZDGNBVGY3TQOJQ').toString()).toBe('1234567890');
  });
});

describe('The service TOTP check', () => {
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  const now = 1_800_000_015_000;
  const code = (offset: number) => hotp(base32Decode(secret), Math.floor(now / 30_000) + offset);

  it('accepts the current step only, unless drift allows as many steps on either side', async () => {
    const step = Math.floor(now / 30_000);
    expect(await matchTotp(secret, code(0), now, 0, -1)).toBe(step);
    expect(await matchTotp(secret, code(-1), now, 0, -1)).toBeNull();
    expect(await matchTotp(secret, code(1), now, 0, -1)).toBeNull();
    expect(await matchTotp(secret, code(-1), now, 1, -1)).toBe(step - 1);
    expect(await matchTotp(secret, code(1), now, 1, -1)).toBe(step + 1);
    expect(await matchTotp(secret, code(2), now, 1, -1)).toBeNull();
    expect(await matchTotp(secret, code(-2), now, 2, -1)).toBe(step - 2);
    expect(await matchTotp(secret, code(2), now, 2, -1)).toBe(step + 2);
  });

  it('refuses every step up to the last one used, even when that one is ahead of this clock', async () => {
    const step = Math.floor(now / 30_000);
    expect(await matchTotp(secret, code(0), now, 1, step + 1)).toBeNull();
    expect(await matchTotp(secret, code(1), now, 1, step + 1)).toBeNull();
    expect(await matchTotp(secret, code(0), now, 0, step + 3)).toBeNull();
  });

  it('refuses a step already used, and anything but six digits', async () => {
    const step = Math.floor(now / 30_000);
    expect(await matchTotp(secret, code(0), now, 0, step)).toBeNull();
    for (const bad of ['', '12345', '1234567', 'abcdef', ' 123456']) expect(await matchTotp(secret, bad, now, 0, -1)).toBeNull();
  });
});

describe('Recovery codes', () => {
  it('carry 50 bits in two groups of five, easy to read aloud', () => {
    const codes = new Set(Array.from({ length: 200 }, newRecoveryCode));
    expect(codes.size).toBe(200);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
  });

  it('are read generously: case, dashes, spaces and look-alike letters', () => {
    expect(normalizeRecoveryCode(' AB1O0-xYz9k ')).toBe('ab100xyz9k');
    expect(normalizeRecoveryCode('ab1o0 xyz9k')).toBe(normalizeRecoveryCode('AB100-XYZ9K'));
  });
});
