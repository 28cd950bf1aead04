import crypto from 'node:crypto';
import type { Clock } from '../../infra/clock';
import type { DataCipher } from '../../infra/crypto/data-cipher';
import type { Repos } from '../../core/repos';
import type { SigningKeysRepository } from './signing-keys.repository';

type Tables = { signingKeys: SigningKeysRepository };

/** A private JSON Web Key as the provider's keystore takes it. */
export type PrivateJwk = crypto.JsonWebKey & { kid: string; alg: string; use: 'sig' };

export interface KeySet {
  /** The key that signs now first (the library signs with the first key of an algorithm), then the ones still published. */
  keys: PrivateJwk[];
  /** Changes whenever the set or the signing key changes: the provider is rebuilt then. */
  fingerprint: string;
}

export interface KeyTimes {
  /** How long after a rotation the new key starts signing: every process has published it by then. */
  activationDelayMs: number;
  /** How long a retired key stays published: the longest a token it signed stays valid. */
  publishRetiredMs: number;
}

const ALG = 'RS256';

/**
 * The provider's signing keys: made at first start and on rotation, stored encrypted with
 * DATA_KEY in the database so that every process signs with the same key, and published
 * (JWKS) from creation until the tokens signed by them have expired.
 */
export function createSigningKeysService(deps: { repos: Repos<Tables>; cipher: DataCipher; clock: Clock; times: KeyTimes }) {
  const { repos, cipher, clock, times } = deps;

  const newKey = (activatesAt: Date) => {
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = crypto.randomBytes(12).toString('base64url');
    const jwk: PrivateJwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: ALG, use: 'sig' };
    return { kid, alg: ALG, privateJwkCiphertext: cipher.encrypt(JSON.stringify(jwk)), createdAt: clock.now(), activatesAt, retiresAt: null };
  };

  const published = (keys: SigningKeysRepository) => keys.published(clock.now(), times.publishRetiredMs);
  /** The first key, active at once; the caller holds the table's change lock. */
  const firstKeyIfNone = async (keys: SigningKeysRepository) => {
    if ((await published(keys)).length === 0) await keys.insert(newKey(clock.now()));
  };

  return {
    /** The keys to publish and sign with now; the first start makes the first key, which signs at once. */
    async current(): Promise<KeySet> {
      let stored = await published(repos.signingKeys);
      if (stored.length === 0) {
        // Every process of a first start may come here at once: one makes the key, the others find it.
        stored = await repos.transaction(async (tx) => {
          await tx.signingKeys.lockForChange();
          await firstKeyIfNone(tx.signingKeys);
          return published(tx.signingKeys);
        });
      }
      const now = clock.now().getTime();
      // Newest active key signs; a rotated key waiting for its activation is published only.
      const signing = stored.find((key) => key.activatesAt.getTime() <= now) ?? stored[stored.length - 1];
      const ordered = signing ? [signing, ...stored.filter((key) => key !== signing)] : stored;
      return {
        keys: ordered.map((key) => JSON.parse(cipher.decrypt(key.privateJwkCiphertext)) as PrivateJwk),
        fingerprint: ordered.map((key) => key.kid).join(','),
      };
    },

    /**
     * A new key, published at once and signing after the activation delay; the keys before
     * it retire then and stay published until their tokens have expired.
     */
    async rotate(): Promise<{ kid: string; activatesAt: Date; retired: number }> {
      const activatesAt = new Date(clock.now().getTime() + times.activationDelayMs);
      const key = newKey(activatesAt);
      const retired = await repos.transaction(async (tx) => {
        // Two rotations at once would each leave the other's key in force.
        await tx.signingKeys.lockForChange();
        // A rotation before anything signed (the command on a new database) still leaves the first key to sign meanwhile.
        await firstKeyIfNone(tx.signingKeys);
        await tx.signingKeys.insert(key);
        await tx.signingKeys.deleteRetiredBefore(new Date(clock.now().getTime() - times.publishRetiredMs));
        return tx.signingKeys.retireOthers(key.kid, activatesAt);
      });
      return { kid: key.kid, activatesAt, retired };
    },
  };
}

export type SigningKeysService = ReturnType<typeof createSigningKeysService>;
