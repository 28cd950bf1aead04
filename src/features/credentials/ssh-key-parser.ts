import crypto from 'node:crypto';

export interface ParsedSshKey {
  type: string;
  /** What `ssh-keygen -l` prints in brackets: ED25519, ECDSA, RSA, ED25519-SK, ECDSA-SK. */
  label: string;
  bits: number;
  /** `SHA256:` and the unpadded base64 digest of the key blob, as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  /** The key as stored and served: type and base64 blob, no comment. */
  publicKey: string;
  comment: string;
}

export type SshKeyProblem = 'private' | 'malformed' | 'unsupported' | 'weakRsa';

export class SshKeyError extends Error {
  constructor(readonly problem: SshKeyProblem) {
    super(problem);
  }
}

const SUPPORTED: Record<string, string> = {
  'ssh-ed25519': 'ED25519',
  'ecdsa-sha2-nistp256': 'ECDSA',
  'ecdsa-sha2-nistp384': 'ECDSA',
  'ecdsa-sha2-nistp521': 'ECDSA',
  'sk-ssh-ed25519@openssh.com': 'ED25519-SK',
  'sk-ecdsa-sha2-nistp256@openssh.com': 'ECDSA-SK',
  'ssh-rsa': 'RSA',
};

const CURVE_BITS: Record<string, number> = { nistp256: 256, nistp384: 384, nistp521: 521 };

/** Reads the length-prefixed fields of the SSH wire format (RFC 4251). */
class Reader {
  private offset = 0;
  constructor(private readonly data: Buffer) {}

  bytes(): Buffer {
    if (this.offset + 4 > this.data.length) throw new SshKeyError('malformed');
    const length = this.data.readUInt32BE(this.offset);
    const start = this.offset + 4;
    if (length > 16_384 || start + length > this.data.length) throw new SshKeyError('malformed');
    this.offset = start + length;
    return this.data.subarray(start, start + length);
  }

  string(): string {
    return this.bytes().toString('latin1');
  }

  done(): boolean {
    return this.offset === this.data.length;
  }
}

function mpintBits(value: Buffer): number {
  let i = 0;
  while (i < value.length && value[i] === 0) i++;
  if (i === value.length) return 0;
  return (value.length - i - 1) * 8 + (32 - Math.clz32(value[i] as number));
}

/**
 * Parses one public key line ("type base64 comment"), checking that the blob really is
 * a key of the declared type. A pasted private key is recognised and refused as such.
 */
export function parseSshPublicKey(input: string): ParsedSshKey {
  const text = input.trim();
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----|PuTTY-User-Key-File|^-----BEGIN SSH2 ENCRYPTED/m.test(text)) throw new SshKeyError('private');
  const [type = '', data = '', ...rest] = text.split(/\s+/);
  if (!SUPPORTED[type]) throw new SshKeyError(/^(ssh-dss|ssh-|ecdsa-|sk-)/.test(type) ? 'unsupported' : 'malformed');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data)) throw new SshKeyError('malformed');
  const blob = Buffer.from(data, 'base64');
  const reader = new Reader(blob);
  if (reader.string() !== type) throw new SshKeyError('malformed');
  let bits: number;
  if (type === 'ssh-rsa') {
    const exponent = reader.bytes();
    const modulus = reader.bytes();
    if (exponent.length === 0) throw new SshKeyError('malformed');
    bits = mpintBits(modulus);
    if (bits < 2048) throw new SshKeyError('weakRsa');
  } else if (type === 'ssh-ed25519' || type === 'sk-ssh-ed25519@openssh.com') {
    if (reader.bytes().length !== 32) throw new SshKeyError('malformed');
    bits = 256;
  } else {
    const curve = reader.string();
    bits = CURVE_BITS[curve] ?? 0;
    // The curve named in the blob must be a known one and the declared type's ('' or 'nistp' are not).
    if (bits === 0 || !type.includes(curve)) throw new SshKeyError('malformed');
    const point = reader.bytes();
    // An uncompressed point (0x04, x, y) of the curve's size, as OpenSSH writes and requires it.
    if (point[0] !== 0x04 || point.length !== 1 + 2 * Math.ceil(bits / 8)) throw new SshKeyError('malformed');
  }
  if (type.startsWith('sk-') && reader.string().length === 0) throw new SshKeyError('malformed');
  if (!reader.done()) throw new SshKeyError('malformed');
  const fingerprint = `SHA256:${crypto.createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
  const comment = rest.join(' ').replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200);
  return { type, label: SUPPORTED[type] as string, bits, fingerprint, publicKey: `${type} ${blob.toString('base64')}`, comment };
}
