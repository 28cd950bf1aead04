import type { Visitor } from './browser-agent';
import { csrfTokenIn } from './browser-agent';
import { attest, newCredential, type SoftCredential } from './webauthn';

/**
 * Adds a passkey from the Security tab as passkeys.js does (JSON with the page's CSRF
 * token), sending the state of the "sign out my other sessions" box; the recovery codes
 * that a first passkey brings are saved.
 */
export async function addPasskey(visitor: Visitor, origin: string, signOutOthers: boolean, credential: SoftCredential = newCredential()) {
  const tab = await visitor.get('/profile/security');
  const csrf = csrfTokenIn(tab.text);
  const post = (path: string, body: object) => visitor.agent.post(path).set('Accept', 'application/json').set('X-CSRF-Token', csrf).send(body);
  const options = await post('/profile/security/passkeys/options', {});
  const res = await post('/profile/security/passkeys', { response: attest(credential, options.body, origin), sign_out_others: signOutOthers });
  if (res.body.redirect === '/profile/security/recovery-codes') {
    const codes = await visitor.get(res.body.redirect);
    await visitor.post('/profile/security/recovery-codes/saved', { _csrf: csrfTokenIn(codes.text), saved: 'on' });
  }
  return res;
}
