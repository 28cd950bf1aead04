import crypto from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

/**
 * A software authenticator for server tests: real ES256 keys and real CBOR, assembled by
 * hand so that tests can also send what a broken or malicious client would (another
 * origin, a replayed challenge, a counter that goes backwards).
 */
const b64 = (bytes: Buffer | Uint8Array) => Buffer.from(bytes).toString('base64url');

export interface SoftCredential {
  id: Buffer;
  keys: crypto.KeyPairKeyObjectResult;
  counter: number;
  userHandle?: string;
}

function authData(rpId: string, flags: number, counter: number, attested?: Buffer): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(counter);
  return Buffer.concat([crypto.createHash('sha256').update(rpId).digest(), Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
}

function coseKey(publicKey: crypto.KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  const map = new Map<number, number | Uint8Array>([
    [1, 2],
    [3, -7],
    [-1, 1],
    [-2, Buffer.from(jwk.x as string, 'base64url')],
    [-3, Buffer.from(jwk.y as string, 'base64url')],
  ]);
  return Buffer.from(isoCBOR.encode(map));
}

export function newCredential(): SoftCredential {
  return { id: crypto.randomBytes(32), keys: crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }), counter: 0 };
}

/** What navigator.credentials.create() would return for these options. */
export function attest(credential: SoftCredential, options: { challenge: string; rp: { id?: string }; user: { id: string } }, origin: string, opts: { userVerified?: boolean } = {}) {
  const rpId = options.rp.id as string;
  const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin, crossOrigin: false }));
  const idLength = Buffer.alloc(2);
  idLength.writeUInt16BE(credential.id.length);
  const attested = Buffer.concat([Buffer.alloc(16), idLength, credential.id, coseKey(credential.keys.publicKey)]);
  const flags = 0x01 | (opts.userVerified === false ? 0 : 0x04) | 0x40;
  const attestationObject = isoCBOR.encode(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData(rpId, flags, credential.counter, attested)]]) as never);
  credential.userHandle = options.user.id;
  return {
    id: b64(credential.id),
    rawId: b64(credential.id),
    type: 'public-key',
    response: { clientDataJSON: b64(clientDataJSON), attestationObject: b64(attestationObject), transports: ['internal'] },
    clientExtensionResults: {},
    authenticatorAttachment: 'platform',
  };
}

/** What navigator.credentials.get() would return; `counter` lets a test send a stale one. */
export function assert(credential: SoftCredential, options: { challenge: string; rpId?: string }, origin: string, counter = credential.counter + 1) {
  credential.counter = counter;
  const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false }));
  const data = authData(options.rpId as string, 0x05, counter);
  const signature = crypto.sign('sha256', Buffer.concat([data, crypto.createHash('sha256').update(clientDataJSON).digest()]), credential.keys.privateKey);
  return {
    id: b64(credential.id),
    rawId: b64(credential.id),
    type: 'public-key',
    response: { clientDataJSON: b64(clientDataJSON), authenticatorData: b64(data), signature: b64(signature), userHandle: credential.userHandle },
    clientExtensionResults: {},
    authenticatorAttachment: 'platform',
  };
}
