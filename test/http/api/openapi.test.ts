import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import express from 'express';
import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';

const t = describeApp({}, { mail: true });

const BASE = '/api/v1';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const ctx = { ip: '127.0.0.1', userAgent: 'test', locale: 'en' as const };

interface Operation {
  operationId?: string;
  summary?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { description: string; content?: Record<string, { schema: object }> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
}

/**
 * The validator is an ES module; Jest's transform would turn a plain `import()` into `require()`,
 * which cannot load it. A function built at run time keeps the real dynamic import.
 */
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

/** Ajv 8 (JSON Schema 2020-12, the dialect of OpenAPI 3.1), as installed for the validator: no dependency of our own. */
interface CompiledSchema {
  (data: unknown): boolean;
  errors?: unknown[] | null;
}
function ajv2020(): { compile(schema: object): CompiledSchema } {
  const fromValidator = createRequire(require.resolve('@seriousme/openapi-schema-validator/package.json'));
  const Ajv2020 = (fromValidator('ajv/dist/2020') as { default: new (options: object) => { compile(schema: object): CompiledSchema } }).default;
  return new Ajv2020({ allErrors: true, strict: true });
}

async function fetchDocument(): Promise<Document> {
  const res = await request(t.app).get(`${BASE}/openapi.json`);
  expect(res.status).toBe(200);
  return res.body as Document;
}

function operations(doc: Document): Array<{ method: string; path: string; op: Operation }> {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([key]) => METHODS.includes(key))
      .map(([method, op]) => ({ method, path, op })),
  );
}

interface RouterLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
  slash?: boolean;
  rawPath?: unknown;
}

/** Every route the live Express router answers, as "METHOD /path" with the absolute Express path. */
function liveRoutes(stack: RouterLayer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      if (typeof layer.route.path !== 'string') throw new Error(`A route with a non-string path: ${String(layer.route.path)}`);
      const path = prefix + layer.route.path;
      return Object.entries(layer.route.methods)
        .filter(([method, on]) => on && method !== '_all')
        .map(([method]) => `${method.toUpperCase()} ${path}`);
    }
    if (layer.handle?.stack) {
      // A nested router: mounted at the root (app.use(router)) or below a string path.
      const mount = layer.slash || layer.rawPath === undefined ? '' : String(layer.rawPath);
      return liveRoutes(layer.handle.stack, prefix + mount);
    }
    return [];
  });
}

function sshKeyLine(): string {
  const field = (data: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, data.length]), data]);
  const raw = Buffer.from(crypto.generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  return `ssh-ed25519 ${Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)]).toString('base64')} me@host`;
}

describe('GET /api/v1/openapi.json', () => {
  it('is public JSON: OpenAPI 3.1.0', async () => {
    const res = await request(t.app).get(`${BASE}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.info).toMatchObject({ title: 'Atrium API', version: '1' });
    expect(res.body.servers).toEqual([{ url: `${t.config.baseUrl.origin}${BASE}` }]);
    expect(Object.keys(res.body.components.securitySchemes).sort()).toEqual(['appPassword', 'session', 'token']);
  });

  it('is valid against the official OpenAPI 3.1 schema', async () => {
    const doc = await fetchDocument();
    const { Validator } = (await importModule('@seriousme/openapi-schema-validator')) as typeof import('@seriousme/openapi-schema-validator');
    const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
    if (!result.valid) console.error(JSON.stringify(result.errors, null, 2));
    expect(result.valid).toBe(true);
    // The validator is not a rubber stamp: a broken operation is caught.
    const broken = structuredClone(doc) as unknown as { paths: Record<string, Record<string, unknown>> };
    broken.paths['/users/me'] = { get: { responses: { 200: { content: 'none' } } } };
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('describes exactly the operations the live router answers under /api/v1', async () => {
    const doc = await fetchDocument();
    const stack = (t.app as unknown as { router: { stack: RouterLayer[] } }).router.stack;
    const all = liveRoutes(stack);
    // The walk itself works: it finds the site's own pages too.
    expect(all).toEqual(expect.arrayContaining(['GET /profile/account', `GET ${BASE}/openapi.json`]));
    const routed = all
      .filter((route) => route.split(' ')[1]?.startsWith(`${BASE}/`) && route !== `GET ${BASE}/openapi.json`)
      .map((route) => route.replace(BASE, '').replace(/:(\w+)/g, '{$1}'));
    const documented = operations(doc).map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(routed.length).toBeGreaterThanOrEqual(15);
    expect(new Set(routed).size).toBe(routed.length);
    expect(new Set(documented).size).toBe(documented.length);
    expect([...routed].sort()).toEqual([...documented].sort());
    // The document does not describe itself as an operation.
    expect(doc.paths['/openapi.json']).toBeUndefined();
  });

  it('the router walk would notice a route added without the document', () => {
    const handler: express.RequestHandler = (_req, res) => {
      res.end();
    };
    const nested = express.Router();
    nested.patch('/users/me/undocumented/:id', handler);
    const outer = express.Router();
    outer.put(`${BASE}/users/me/extra`, handler);
    outer.use(BASE, nested);
    expect(liveRoutes(outer.stack as unknown as RouterLayer[])).toEqual([`PUT ${BASE}/users/me/extra`, `PATCH ${BASE}/users/me/undocumented/:id`]);
  });

  it('gives every operation an id, a summary and its failures', async () => {
    const doc = await fetchDocument();
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThanOrEqual(15);
    const ids = ops.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { method, path, op } of ops) {
      const where = `${method.toUpperCase()} ${path}`;
      expect({ where, operationId: typeof op.operationId === 'string' && op.operationId.length > 0 }).toEqual({ where, operationId: true });
      expect({ where, summary: typeof op.summary === 'string' && op.summary.length > 0 }).toEqual({ where, summary: true });
      expect({ where, has401: '401' in op.responses }).toEqual({ where, has401: true });
      expect({ where, has403: '403' in op.responses }).toEqual({ where, has403: true });
      expect({ where, success: Object.keys(op.responses).some((status) => /^2\d\d$/.test(status)) }).toEqual({ where, success: true });
      if (method !== 'get' && op.requestBody) expect({ where, has422: '422' in op.responses }).toEqual({ where, has422: true });
      for (const [status, response] of Object.entries(op.responses)) {
        expect({ where, status, description: typeof response.description === 'string' && response.description.length > 0 }).toEqual({ where, status, description: true });
        if (Number(status) >= 400) expect({ where, status, schema: response.content?.['application/json']?.schema }).toEqual({ where, status, schema: { $ref: '#/components/schemas/Error' } });
      }
      // Every {parameter} in the path is declared, and nothing else.
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path' && p.required).map((p) => p.name);
      expect({ where, params: declared }).toEqual({ where, params: inPath });
    }
  });
});

describe('Responses match the documented schemas', () => {
  const ajv = ajv2020();
  let doc: Document;
  beforeAll(async () => {
    doc = await fetchDocument();
  });

  /** Validates a body against what the document promises for this operation and status. */
  function expectDocumented(method: string, path: string, res: { status: number; body: unknown }): void {
    const op = doc.paths[path]?.[method];
    if (!op) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
    const response = op.responses[String(res.status)];
    if (!response) throw new Error(`${method.toUpperCase()} ${path} answered ${res.status}, which is not documented`);
    const documented = response.content?.['application/json']?.schema;
    if (!documented) throw new Error(`${method.toUpperCase()} ${path} ${res.status} documents no JSON body`);
    const schema = '$ref' in documented ? doc.components.schemas.Error : documented;
    if (!schema) throw new Error('no Error schema');
    const validate = ajv.compile(schema);
    const valid = validate(res.body);
    if (!valid) console.error(method.toUpperCase(), path, res.status, JSON.stringify(validate.errors, null, 2), JSON.stringify(res.body));
    expect({ operation: `${method.toUpperCase()} ${path} ${res.status}`, valid }).toEqual({ operation: `${method.toUpperCase()} ${path} ${res.status}`, valid: true });
  }

  it('the schemas are strict: an unexpected or missing property fails', async () => {
    const user = await createUser(t);
    const { secret } = await t.services.apiTokens.create(user, { name: 'x', scope: 'read', expires: '30' }, ctx);
    const res = await request(t.app).get(`${BASE}/users/me`).set('Authorization', `Bearer ${secret}`);
    const schema = doc.paths['/users/me']?.get?.responses['200']?.content?.['application/json']?.schema as object;
    const validate = ajv.compile(schema);
    expect(validate(res.body)).toBe(true);
    expect(validate({ ...res.body, password_hash: 'x' })).toBe(false);
    const withoutEmail = { ...res.body };
    delete withoutEmail.email;
    expect(validate(withoutEmail)).toBe(false);
    expect(validate({ ...res.body, email_verified: 'yes' })).toBe(false);
  });

  it('GET /users/me, GET and POST /users/me/tokens, GET /users/me/sessions, POST /users/me/ssh-keys', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const { secret } = await t.services.apiTokens.create(user, { name: 'Schema check', scope: 'write', expires: '30' }, ctx);
    const api = (method: 'get' | 'post', path: string) => request(t.app)[method](BASE + path).set('Authorization', `Bearer ${secret}`);

    const me = await api('get', '/users/me');
    expect(me.status).toBe(200);
    expectDocumented('get', '/users/me', me);

    const created = await api('post', '/users/me/tokens').send({ name: 'Another', scope: 'read', expires_in_days: 7, allowed_ips: ['192.0.2.0/24'], current_password: user.password });
    expect(created.status).toBe(201);
    expectDocumented('post', '/users/me/tokens', created);

    const tokens = await api('get', '/users/me/tokens');
    expect(tokens.status).toBe(200);
    expect(tokens.body).toHaveLength(2);
    expectDocumented('get', '/users/me/tokens', tokens);

    const sessions = await api('get', '/users/me/sessions');
    expect(sessions.status).toBe(200);
    expect(sessions.body).toHaveLength(1);
    expectDocumented('get', '/users/me/sessions', sessions);
    const fromBrowser = await visitor.agent.get(`${BASE}/users/me/sessions`).set('Accept', 'application/json');
    expect(fromBrowser.body[0].current).toBe(true);
    expectDocumented('get', '/users/me/sessions', fromBrowser);

    const key = await api('post', '/users/me/ssh-keys').send({ title: 'Laptop', key: sshKeyLine() });
    expect(key.status).toBe(201);
    expectDocumented('post', '/users/me/ssh-keys', key);
    const keys = await api('get', '/users/me/ssh-keys');
    expectDocumented('get', '/users/me/ssh-keys', keys);
  });

  it('GET /admin/audit, for an administrator: entries by an administrator and by the operator, with and without a person', async () => {
    const admin = await createUser(t, { admin: true });
    const visitor = await signedIn(t, admin);
    await t.repos.adminAudit.record({ actor: admin, target: admin, action: 'role_changed', ip: '127.0.0.1', userAgent: 'test', data: { role: 'admin' }, now: t.clock.now() });
    await t.repos.adminAudit.record({ actor: { id: null, username: 'operator' }, action: 'policy_changed', now: t.clock.now() });
    const res = await visitor.agent.get(`${BASE}/admin/audit?limit=2`).set('Accept', 'application/json');
    expect(res.status).toBe(200);
    expect(res.body.entries).toHaveLength(2);
    expectDocumented('get', '/admin/audit', res);
    const invalid = await visitor.agent.get(`${BASE}/admin/audit?limit=0`).set('Accept', 'application/json');
    expect(invalid.status).toBe(422);
    expectDocumented('get', '/admin/audit', invalid);
  });

  it('error bodies match the documented Error schema', async () => {
    const user = await createUser(t);
    const { secret } = await t.services.apiTokens.create(user, { name: 'Errors', scope: 'read', expires: '30' }, ctx);
    const unauthenticated = await request(t.app).get(`${BASE}/users/me`);
    expect(unauthenticated.status).toBe(401);
    expectDocumented('get', '/users/me', unauthenticated);
    const scope = await request(t.app).post(`${BASE}/users/me/tokens`).set('Authorization', `Bearer ${secret}`).send({});
    expect(scope.status).toBe(403);
    expectDocumented('post', '/users/me/tokens', scope);
    const { secret: writer } = await t.services.apiTokens.create(user, { name: 'Writer', scope: 'write', expires: '30' }, ctx);
    const invalid = await request(t.app).post(`${BASE}/users/me/tokens`).set('Authorization', `Bearer ${writer}`).send({ name: 42 });
    expect(invalid.status).toBe(422);
    expect(Object.keys(invalid.body.error.fields)).toContain('name');
    expectDocumented('post', '/users/me/tokens', invalid);
    const missing = await request(t.app).delete(`${BASE}/users/me/ssh-keys/00000000-0000-4000-8000-000000000000`).set('Authorization', `Bearer ${writer}`);
    expect(missing.status).toBe(404);
    expectDocumented('delete', '/users/me/ssh-keys/{id}', missing);
  });
});
