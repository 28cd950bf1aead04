import { isWellFormedApiToken, newApiToken, newAppPassword, normalizeAppPassword, secretDigest } from '../../../src/features/credentials/secret-formats';

describe('Secret formats', () => {
  it('tokens: a pat_ prefix, 30 random base62 characters and a checksum that catches typos', () => {
    const tokens = Array.from({ length: 200 }, newApiToken);
    expect(new Set(tokens).size).toBe(200);
    for (const token of tokens) {
      expect(token).toMatch(/^pat_[0-9A-Za-z]{36}$/);
      expect(isWellFormedApiToken(token)).toBe(true);
    }
    const token = tokens[0] as string;
    const flipped = token.slice(0, 10) + (token[10] === 'a' ? 'b' : 'a') + token.slice(11);
    expect(isWellFormedApiToken(flipped)).toBe(false);
    expect(isWellFormedApiToken(`${token}x`)).toBe(false);
    expect(isWellFormedApiToken(token.replace('pat_', 'ghp_'))).toBe(false);
    expect(isWellFormedApiToken('')).toBe(false);
  });

  it('app passwords: 24 characters without look-alikes, in groups of four; grouping does not matter', () => {
    const password = newAppPassword();
    expect(password).toMatch(/^([a-hjkmnp-z2-9]{4}-){5}[a-hjkmnp-z2-9]{4}$/);
    expect(normalizeAppPassword(password.toUpperCase().replace(/-/g, ' '))).toBe(password.replace(/-/g, ''));
  });

  it('only digests are stored, and they do not contain the secret', () => {
    const token = newApiToken();
    const digest = secretDigest(token);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(digest).not.toContain(token.slice(4, 12));
  });
});
