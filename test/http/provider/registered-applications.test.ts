import request from 'supertest';
import { newApplicationSchema } from '../../../src/features/provider/provider.schemas';
import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';
import { walk } from '../../helpers/relying-party';

/** Any valid S256 challenge: these requests stop before a code is exchanged. */
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

const authorize = (clientId: string, redirectUri: string) =>
  `/oidc/auth?${new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope: 'openid', code_challenge: CHALLENGE, code_challenge_method: 'S256', state: 'state-of-the-app' })}`;

/** What apps:create accepts, as an operator gives it: each must be usable by the provider library too. */
const REGISTRATIONS = [
  { public: false, redirect_uris: ['https://app.example/cb', 'https://localhost/cb', 'http://localhost:8080/cb', 'http://127.0.0.1/cb', 'http://[::1]:8080/cb'] },
  { public: true, redirect_uris: ['https://spa.example/cb', 'https://localhost:5173/cb', 'http://localhost:5173/cb'] },
  // A native app: its own scheme, and the loopback for a desktop build.
  { public: true, redirect_uris: ['com.example.app:/cb', 'http://127.0.0.1/cb'], post_logout_redirect_uris: ['com.example.app:/signed-out'] },
  { public: true, redirect_uris: ['https://app.example/cb'], post_logout_redirect_uris: ['com.example.app:/signed-out'] },
];

describe('applications registered with each kind of redirect URI apps:create accepts', () => {
  const t = describeApp();

  it.each(REGISTRATIONS)('can start a sign-in at every redirect URI they registered: %j', async (fields) => {
    const { client } = await t.services.applications.register(newApplicationSchema.parse({ name: 'Registered App', ...fields }));
    for (const uri of client.redirectUris) {
      const res = await request(t.app).get(authorize(client.clientId, uri));
      expect({ uri, status: res.status, location: res.headers.location }).toEqual({ uri, status: 303, location: expect.stringMatching(/^\/interaction\/[\w-]+$/) });
    }
  });

  it("a native app receives its code at its own scheme once the person allows it", async () => {
    const { client } = await t.services.applications.register(newApplicationSchema.parse({ name: 'Phone App', redirect_uris: ['com.example.app:/cb'], public: true }));
    const visitor = await signedIn(t, await createUser(t));
    const result = await walk(visitor, authorize(client.clientId, 'com.example.app:/cb'), { consent: 'allow' });
    expect(result.left?.protocol).toBe('com.example.app:');
    expect(result.left?.pathname).toBe('/cb');
    expect(result.left?.searchParams.get('state')).toBe('state-of-the-app');
    expect(result.left?.searchParams.get('code')).toMatch(/^[\w-]{20,}$/);
  });
});
