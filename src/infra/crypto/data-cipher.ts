import crypto from 'node:crypto';

/**
 * AES-256-GCM for data kept at rest (queued mail holding one-time links, TOTP secrets).
 * Each purpose gets its own key, derived from DATA_KEY with HKDF, so a value encrypted
 * for one purpose cannot be replayed as another.
 */
export interface DataCipher {
  encrypt(plaintext: string): string;
  decrypt(ciphertext: string): string;
}

const VERSION = 'v1';

export function createDataCipher(dataKey: string, purpose: string): DataCipher {
  const key = Buffer.from(crypto.hkdfSync('sha256', dataKey, 'atrium-data-key', purpose, 32));
  return {
    encrypt(plaintext) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt(ciphertext) {
      const [version, payload] = ciphertext.split(':', 2);
      if (version !== VERSION || !payload) throw new Error('Unknown ciphertext format');
      const raw = Buffer.from(payload, 'base64');
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
