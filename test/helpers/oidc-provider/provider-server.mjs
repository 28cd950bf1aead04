// A real OpenID provider (oidc-provider) for the tests, run as a child process because
// oidc-provider ships only ES modules, which Jest's CommonJS registry cannot load.
// Configuration: OIDC_TEST_CONFIG = { clients: [...], accounts: [...] }. Prints {"port":N}
// once it listens on 127.0.0.1; the issuer is http://127.0.0.1:N.
import { Buffer } from 'node:buffer';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import process from 'node:process';
import { URL, URLSearchParams } from 'node:url';
import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const settings = JSON.parse(process.env.OIDC_TEST_CONFIG ?? '{}');
const accounts = new Map((settings.accounts ?? []).map((account) => [account.sub, account]));
/** Claim overrides for the next ID token the token endpoint issues (one-shot). */
let tampering;

const signing = await generateKeyPair('RS256', { extractable: true });
// Never published: a token signed with it has a valid shape but a signature no one can verify.
const unpublished = await generateKeyPair('RS256');
const kid = randomUUID();

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const provider = new Provider(`http://127.0.0.1:${port}`, await configuration());
provider.use(tamperIdToken);
const providerCallback = provider.callback();
server.on('request', (req, res) => {
  route(req, res).catch((error) => send(res, 500, 'text/plain', String(error?.stack ?? error)));
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
// The test process may die without stopping us: its end of stdin closing says so.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.stdout.write(`${JSON.stringify({ port })}\n`);

async function configuration() {
  return {
    clients: settings.clients.map((client) => ({ grant_types: ['authorization_code'], response_types: ['code'], ...client })),
    jwks: { keys: [{ ...(await exportJWK(signing.privateKey)), kid, alg: 'RS256', use: 'sig' }] },
    findAccount,
    // acr and amr under the openid scope so that every ID token carries what the login said,
    // not only when the client asked with acr_values or the claims parameter.
    claims: {
      openid: ['sub', 'acr', 'amr'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    },
    // Otherwise email and profile claims go only to the userinfo endpoint, not the ID token.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    loadExistingGrant: grantEverythingRequested,
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
    renderError: (ctx, out) => {
      ctx.type = 'application/json';
      ctx.body = out;
    },
  };
}

function findAccount(_ctx, sub) {
  const account = accounts.get(sub);
  return account && { accountId: sub, claims: () => ({ ...account }) };
}

/** Stands in for the consent screen: the person always agrees to whatever the client asked. */
async function grantEverythingRequested(ctx) {
  const { oidc } = ctx;
  const existing = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(oidc.client.clientId);
  if (existing) return oidc.provider.Grant.find(existing);
  const grant = new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId });
  grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
  grant.addOIDCClaims([...oidc.requestParamClaims]);
  await grant.save();
  return grant;
}

async function tamperIdToken(ctx, next) {
  await next();
  if (ctx.path !== '/token' || ctx.status !== 200 || typeof ctx.body?.id_token !== 'string' || !tampering) return;
  const overrides = tampering;
  tampering = undefined;
  ctx.body = { ...ctx.body, id_token: await resign(ctx.body.id_token, overrides) };
}

async function resign(idToken, { expired, sign_with_other_key: otherKey, ...claims }) {
  const now = Math.floor(Date.now() / 1000);
  const lifetime = expired ? { iat: now - 7200, exp: now - 3600 } : {};
  const payload = { ...decodeJwt(idToken), ...lifetime, ...claims };
  return new SignJWT(payload).setProtectedHeader(decodeProtectedHeader(idToken)).sign(otherKey ? unpublished.privateKey : signing.privateKey);
}

async function route(req, res) {
  const { pathname } = new URL(req.url, 'http://127.0.0.1');
  const control = req.method === 'POST' && /^\/__control\/(accounts|tamper|reset)$/.exec(pathname);
  if (control) return controlEndpoint(control[1], req, res);
  const interaction = /^\/interaction\/([\w-]+)(?:\/(login|abort))?$/.exec(pathname);
  if (interaction && req.method === (interaction[2] ? 'POST' : 'GET')) return interactionEndpoint(interaction[1], interaction[2], req, res);
  return providerCallback(req, res);
}

async function controlEndpoint(action, req, res) {
  const body = action === 'reset' ? undefined : JSON.parse(await readBody(req));
  if (action === 'accounts') accounts.set(body.sub, body);
  else tampering = body;
  send(res, 200, 'application/json', '{}');
}

async function interactionEndpoint(uid, action, req, res) {
  let details;
  try {
    details = await provider.interactionDetails(req, res);
  } catch (error) {
    return send(res, 400, 'text/plain', `no such interaction: ${error.message}`);
  }
  if (details.uid !== uid) return send(res, 400, 'text/plain', 'interaction mismatch');
  if (!action && details.prompt.name === 'consent') return consentGiven(details, req, res);
  if (!action) return send(res, 200, 'text/html; charset=utf-8', loginPage(uid));
  if (action === 'abort') {
    return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'End-User aborted interaction' }, { mergeWithLastSubmission: false });
  }
  const form = new URLSearchParams(await readBody(req));
  const sub = form.get('sub') ?? '';
  if (!accounts.has(sub)) return send(res, 400, 'text/html; charset=utf-8', '<!doctype html><title>Unknown account</title><p>Unknown account.</p>');
  const amr = form.get('amr') ? form.get('amr').split(',').filter(Boolean) : undefined;
  const acr = form.get('acr') || undefined;
  return provider.interactionFinished(req, res, { login: { accountId: sub, amr, acr } }, { mergeWithLastSubmission: false });
}

/** A consent prompt the grant above did not settle (prompt=consent) is agreed to without a page. */
async function consentGiven(details, req, res) {
  const { Grant } = provider;
  const grant = details.grantId ? await Grant.find(details.grantId) : new Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
  const { missingOIDCScope, missingOIDCClaims } = details.prompt.details;
  if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
  if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
  return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
}

function loginPage(uid) {
  return `<!doctype html><title>Test provider: sign in</title>
<form method="post" action="/interaction/${uid}/login">
<label>sub <input name="sub"></label> <label>amr <input name="amr"></label> <label>acr <input name="acr"></label>
<button>Sign in</button></form>
<form method="post" action="/interaction/${uid}/abort"><button>Cancel</button></form>`;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
