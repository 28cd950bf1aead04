import { createDataCipher } from '../../../src/infra/crypto/data-cipher';

const key = 'k'.repeat(40);

describe('Encryption at rest', () => {
  it('round-trips, with a fresh nonce each time', () => {
    const cipher = createDataCipher(key, 'mail-outbox');
    const a = cipher.encrypt('{"link":"secret"}');
    const b = cipher.encrypt('{"link":"secret"}');
    expect(a).not.toBe(b);
    expect(a).not.toContain('secret');
    expect(cipher.decrypt(a)).toBe('{"link":"secret"}');
  });

  it('refuses tampered data, another purpose, and another key', () => {
    const cipher = createDataCipher(key, 'mail-outbox');
    const sealed = cipher.encrypt('hello');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => cipher.decrypt(`v1:${raw.toString('base64')}`)).toThrow();
    expect(() => createDataCipher(key, 'totp').decrypt(sealed)).toThrow();
    expect(() => createDataCipher('x'.repeat(40), 'mail-outbox').decrypt(sealed)).toThrow();
    expect(() => cipher.decrypt('v9:abc')).toThrow(/format/);
  });
});
