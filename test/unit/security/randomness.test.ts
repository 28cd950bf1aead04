import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { newSecretToken } from '../../../src/core/one-time-links/one-time-token';
import { newRecoveryCode } from '../../../src/features/mfa/recovery-codes';
import { newTotpSecret } from '../../../src/features/mfa/totp';
import { base32Decode } from '../../helpers/totp';

const root = path.join(__dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : /\.(ts|js)$/.test(entry.name) ? [full] : [];
  });
}

/** Calls `make` while noting every buffer node:crypto's randomBytes hands out (the real ones, unchanged). */
function drawnWhile<T>(make: () => T): { value: T; drawn: Buffer[] } {
  const draw = crypto.randomBytes;
  const drawn: Buffer[] = [];
  const spy = jest.spyOn(crypto, 'randomBytes').mockImplementation(((size: number) => {
    const bytes = draw(size);
    drawn.push(bytes);
    return bytes;
  }) as typeof crypto.randomBytes);
  try {
    return { value: make(), drawn };
  } finally {
    spy.mockRestore();
  }
}

describe('Random values', () => {
  it('never come from Math.random anywhere in src/', () => {
    const files = sourceFiles(path.join(root, 'src'));
    expect(files.length).toBeGreaterThan(100);
    const users = files.filter((file) => /\bMath\s*\.\s*random\b|\bMath\s*\[\s*['"`]random/.test(fs.readFileSync(file, 'utf8')));
    expect(users.map((file) => path.relative(root, file))).toEqual([]);
  });

  it('authenticator app seeds are 160 bits drawn from the Web Crypto CSPRNG', () => {
    const draw = globalThis.crypto.getRandomValues.bind(globalThis.crypto);
    const drawn: Uint8Array[] = [];
    const spy = jest.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation(<T extends ArrayBufferView | null>(array: T): T => {
      const filled = draw(array as unknown as Uint8Array<ArrayBuffer>);
      drawn.push(Uint8Array.from(filled));
      return array;
    });
    let secret: string;
    try {
      secret = newTotpSecret();
    } finally {
      spy.mockRestore();
    }
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(drawn.map((bytes) => Buffer.from(bytes).toString('hex'))).toContain(base32Decode(secret).toString('hex'));
  });

  it('recovery codes are ten characters of five bits each, taken from crypto.randomBytes', () => {
    const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
    for (let i = 0; i < 50; i++) {
      const { value: code, drawn } = drawnWhile(newRecoveryCode);
      expect(drawn).toHaveLength(1);
      const expected = [...(drawn[0] as Buffer)].map((byte) => alphabet[byte & 31]).join('');
      expect(code.replace('-', '')).toBe(expected);
    }
  });

  it('emailed link tokens are 256 bits from crypto.randomBytes, and only their SHA-256 is kept', () => {
    const { value, drawn } = drawnWhile(newSecretToken);
    expect(drawn).toHaveLength(1);
    expect(drawn[0]).toHaveLength(32);
    expect(value.token).toBe((drawn[0] as Buffer).toString('base64url'));
    expect(value.hash).toBe(crypto.createHash('sha256').update(value.token).digest('hex'));
  });
});
