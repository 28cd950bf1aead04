import request from 'supertest';
import { PROVIDER_TTL } from '../../../src/features/provider/provider-configuration';
import { KEY_CHECK_MS } from '../../../src/features/provider/provider-host';
import { describeApp, type TestApp } from '../../helpers/app';

/** The members of an RSA private key: none may leave the service. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];
/** A retired key stays published as long as an ID token it signed is valid, and one more look for new keys. */
const PUBLISH_RETIRED_MS = PROVIDER_TTL.IdToken * 1000 + KEY_CHECK_MS;

interface PublishedKey {
  kid: string;
  kty: string;
  alg: string;
  use: string;
  [member: string]: unknown;
}

async function jwks(t: TestApp): Promise<PublishedKey[]> {
  const res = await request(t.app).get('/oidc/jwks').expect(200);
  return (res.body as { keys: PublishedKey[] }).keys;
}

const kids = async (t: TestApp) => (await jwks(t)).map((key) => key.kid).sort();
/** The kids the provider would publish now, the signing one first. */
const currentKids = async (t: TestApp) => (await t.services.signingKeys.current()).keys.map((key) => key.kid);

describe("the provider's signing keys", () => {
  const t = describeApp();

  it('are made at first start: one RS256 key published with its kid and public members only, stored encrypted', async () => {
    const [key, ...others] = await jwks(t);
    expect(others).toEqual([]);
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/) });
    for (const member of PRIVATE_MEMBERS) expect({ member, published: member in (key as PublishedKey) }).toEqual({ member, published: false });
    const discovery = await request(t.app).get('/.well-known/openid-configuration').expect(200);
    expect(discovery.body).toMatchObject({ jwks_uri: `${t.config.baseUrl.origin}/oidc/jwks`, id_token_signing_alg_values_supported: ['RS256'] });

    const [signing] = (await t.services.signingKeys.current()).keys;
    expect(signing?.kid).toBe(key?.kid);
    const rows = await t.deps.db('oidc_signing_keys').select('kid', 'alg', 'private_jwk_ciphertext');
    expect(rows.map((row: { kid: string; alg: string }) => [row.kid, row.alg])).toEqual([[key?.kid, 'RS256']]);
    const stored = rows[0].private_jwk_ciphertext as string;
    expect(stored).not.toContain(signing?.d as string);
    expect(stored).not.toContain('"d"');
    expect(stored).not.toContain(Buffer.from(JSON.stringify(signing)).toString('base64').slice(0, 40));
  });

  it('after a rotation: the new key is published within KEY_CHECK_MS, signs after the activation delay, and the old one stays published until its tokens have expired', async () => {
    const [old] = await kids(t);
    const rotation = await t.services.signingKeys.rotate();
    expect(rotation.retired).toBe(1);
    // Every process looks for new keys at least every KEY_CHECK_MS: by the activation each publishes the new one.
    expect(rotation.activatesAt.getTime() - t.clock.now().getTime()).toBe(2 * KEY_CHECK_MS);

    // This process looked a moment ago; it publishes the new key at its next look.
    expect(await kids(t)).toEqual([old]);
    expect(await currentKids(t)).toEqual([old, rotation.kid]);
    t.clock.advance(KEY_CHECK_MS);
    expect(await kids(t)).toEqual([old, rotation.kid].sort());

    t.clock.set(new Date(rotation.activatesAt.getTime() - 1));
    expect((await currentKids(t))[0]).toBe(old);
    t.clock.set(rotation.activatesAt);
    expect(await currentKids(t)).toEqual([rotation.kid, old]);
    t.clock.advance(KEY_CHECK_MS);
    expect(await kids(t)).toEqual([old, rotation.kid].sort());

    // The old key retired at the activation; it is published until an ID token it signed has expired.
    t.clock.set(new Date(rotation.activatesAt.getTime() + PUBLISH_RETIRED_MS - 1));
    expect(await currentKids(t)).toEqual([rotation.kid, old]);
    t.clock.set(new Date(rotation.activatesAt.getTime() + PUBLISH_RETIRED_MS));
    expect(await currentKids(t)).toEqual([rotation.kid]);
    t.clock.advance(KEY_CHECK_MS);
    expect(await kids(t)).toEqual([rotation.kid]);

    // The next rotation deletes it; the key it replaces retires as the old one did.
    const next = await t.services.signingKeys.rotate();
    expect(next.retired).toBe(1);
    const rows = await t.deps.db('oidc_signing_keys').orderBy('created_at').select('kid', 'retires_at');
    expect(rows.map((row: { kid: string; retires_at: unknown }) => [row.kid, row.retires_at === null ? null : new Date(row.retires_at as string).getTime()])).toEqual([
      [rotation.kid, next.activatesAt.getTime()],
      [next.kid, null],
    ]);
  });
});

describe('the signing keys when several processes start or rotate at once', () => {
  const t = describeApp();

  it('one first key is made, and every process signs with it', async () => {
    const sets = await Promise.all([1, 2, 3].map(() => t.services.signingKeys.current()));
    expect(new Set(sets.map((set) => set.fingerprint)).size).toBe(1);
    expect(await t.deps.db('oidc_signing_keys').pluck('kid')).toEqual([sets[0]?.keys[0]?.kid]);
  });

  it('two rotations at once leave one key in force, the other retiring', async () => {
    const [a, b] = await Promise.all([t.services.signingKeys.rotate(), t.services.signingKeys.rotate()]);
    const inForce = await t.deps.db('oidc_signing_keys').whereNull('retires_at').pluck('kid');
    expect(inForce).toHaveLength(1);
    expect([a?.kid, b?.kid]).toContain(inForce[0]);
    expect((await t.services.signingKeys.current()).keys).toHaveLength(3);
  });
});
