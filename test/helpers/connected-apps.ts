import crypto from 'node:crypto';
import type { TestApp } from './app';

const DAY_S = 86_400;
/** How long the stored grants and tokens live: longer than any test's clock moves. */
const LIFETIME_S = 30 * DAY_S;

/** An application registered as `apps:create` registers one; its client id. */
export async function registeredApp(t: TestApp, name = 'Team Wiki'): Promise<string> {
  const { client } = await t.services.applications.register({ name, redirect_uris: ['https://app.example/cb'], post_logout_redirect_uris: [], public: false });
  return client.clientId;
}

/** A record of the provider library for a person, stored as its adapter stores it; its id. */
async function payload(t: TestApp, model: 'Grant' | 'RefreshToken' | 'AccessToken', fields: { accountId: string; clientId: string; grantId?: string; openid?: { scope: string } }): Promise<string> {
  const id = crypto.randomBytes(24).toString('base64url');
  const now = t.clock.now();
  const iat = Math.floor(now.getTime() / 1000);
  await t.repos.oidcPayloads.upsert(model, id, { ...fields, kind: model, jti: id, iat, exp: iat + LIFETIME_S }, new Date(now.getTime() + LIFETIME_S * 1000), now);
  return id;
}

/** What Allow on the consent page leaves: the person's grant for the application, with the scopes they allowed. */
export function grantFor(t: TestApp, userId: string, clientId: string, scope = 'openid profile email'): Promise<string> {
  return payload(t, 'Grant', { accountId: userId, clientId, openid: { scope } });
}

/** A token the provider issued under a grant: the application used it. */
export function tokenUnder(t: TestApp, userId: string, clientId: string, grantId: string, model: 'RefreshToken' | 'AccessToken' = 'RefreshToken'): Promise<string> {
  return payload(t, model, { accountId: userId, clientId, grantId });
}

/** An application the person allowed (a new one, named `name`); its client id. */
export async function allowedApp(t: TestApp, userId: string, name?: string, scope?: string): Promise<string> {
  const clientId = await registeredApp(t, name);
  await grantFor(t, userId, clientId, scope);
  return clientId;
}

/** The client ids of the applications a person has allowed, as the tab lists them. */
export async function allowedClientIds(t: TestApp, userId: string): Promise<string[]> {
  return (await t.services.connectedApps.list({ id: userId })).map((app) => app.clientId);
}
