// Hostile input by the thousand over every JSON API operation, listed from the OpenAPI
// document the app generates from its endpoint list (so a new endpoint is fuzzed without
// anyone listing it): bodies of every shape, duplicate keys, JSON nested 1,000 deep, numbers
// at the edges, wrong content types, with a token, an app password or the browser session.
import fc from 'fast-check';
import { describeApp } from '../helpers/app';
import { UNKNOWN_UUID } from '../helpers/route-list';
import { FuzzServer, someAddress, type Answer } from './fuzz-client';
import { multipartBody, multipartSpec, uploadSamples } from './fuzz-bodies';
import { invalidRows, problemWith } from './fuzz-oracles';
import { Persona, ROOMY_LIMITS } from './fuzz-personas';
import { checkCases, fuzzSettings, LANES } from './fuzz-run';
import { apiTargets, type ApiTarget } from './fuzz-targets';
import { deeplyNested, hostileString, jsonValue, percentEncode, sometimes } from './fuzz-values';

const t = describeApp(ROOMY_LIMITS);
const ctx = { ip: '127.0.0.1', userAgent: 'fuzz', locale: 'en' as const };

/** A person at one lane: their signed-in browser, and a write token and app password of theirs, renewed when the account changes under them. */
class ApiCaller {
  private owner?: string;
  token = '';
  basic = '';

  constructor(readonly persona: Persona) {}

  async ready() {
    const browser = await this.persona.ready();
    const person = this.persona.person;
    if (person && person.id !== this.owner) {
      this.owner = person.id;
      this.token = (await t.services.apiTokens.create(person, { name: 'fuzz', scope: 'write', expires: '30' }, ctx)).secret;
      const appPassword = (await t.services.appPasswords.create(person, { name: 'fuzz', scope: 'write' }, ctx)).secret;
      this.basic = Buffer.from(`${person.username}:${appPassword}`).toString('base64');
    }
    return browser;
  }
}

let server: FuzzServer;
let targets: ApiTarget[];
let callers: ApiCaller[];
let samples: Buffer[];

beforeAll(async () => {
  server = await FuzzServer.listen(t.app);
  const document = await server.send({ method: 'GET', path: '/api/v1/openapi.json' });
  targets = apiTargets(JSON.parse(document.text));
  callers = Array.from({ length: LANES }, () => new ApiCaller(new Persona(t, server, true)));
  samples = await uploadSamples();
}, 120_000);

afterAll(async () => {
  await server?.close();
});

const CREDENTIALS = ['token', 'token', 'app password', 'session', 'session', 'session without token', 'none', 'garbage'] as const;
const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'application/json; charset=bogus', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/vnd.api+json', ''];
const GARBAGE_AUTHORIZATION = ['Bearer', 'Bearer ', 'Bearer pat_', `Bearer pat_${'A'.repeat(36)}`, 'Basic', 'Basic !!!', `Basic ${Buffer.from('nobody').toString('base64')}`, `Basic ${Buffer.from(':').toString('base64')}`, 'Digest x', 'bearer x y z'];

/** Raw JSON a serializer would never write: duplicate keys, deep nesting, cut off, not an object, a byte-order mark, invalid UTF-8. */
function rawJson(properties: string[]) {
  const key = fc.constantFrom(...properties, 'x');
  return fc.oneof(
    fc.tuple(key, jsonValue, jsonValue).map(([k, a, b]) => `{${JSON.stringify(k)}:${JSON.stringify(a) ?? 'null'},${JSON.stringify(k)}:${JSON.stringify(b) ?? 'null'}}`),
    fc.tuple(fc.constantFrom(1_000, 5_000), fc.constantFrom('array' as const, 'object' as const)).map(([depth, kind]) => deeplyNested(depth, kind)),
    fc.tuple(key, fc.constantFrom(1_000, 5_000)).map(([k, depth]) => `{${JSON.stringify(k)}:${deeplyNested(depth, 'object')}}`),
    fc.tuple(fc.dictionary(key, jsonValue), fc.double({ min: 0, max: 1, noNaN: true })).map(([body, keep]) => JSON.stringify(body).slice(0, Math.floor(JSON.stringify(body).length * keep))),
    fc.constantFrom('[]', '"x"', '0', 'null', 'true', '', ' ', '\ufeff{}', '{"a":1e999}', '{"a":-1e999}', '{"a":1' + '0'.repeat(400) + '}', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '{"a":"\\ud800"}', '{"a":"\\u0000"}'),
    fc.tuple(key, fc.constantFrom('\xff\xfe', '\xc3\x28', '\xed\xa0\x80', '\x00')).map(([k, bytes]) => Buffer.concat([Buffer.from(`{${JSON.stringify(k)}:"`), Buffer.from(bytes, 'latin1'), Buffer.from('"}')])),
  );
}

function apiCase(target: ApiTarget) {
  const properties = target.properties ?? [];
  const field = fc.oneof({ weight: 3, arbitrary: hostileString }, { weight: 2, arbitrary: jsonValue });
  const objectBody = fc
    .tuple(fc.subarray(properties), fc.array(field, { minLength: properties.length, maxLength: properties.length }), fc.dictionary(hostileString, jsonValue, { maxKeys: 2 }))
    .map(([present, values, extra]) => JSON.stringify({ ...extra, ...Object.fromEntries(properties.map((name, i) => [name, values[i]]).filter(([name]) => present.includes(name as string))) }));
  return fc.record({
    target: fc.constant(target),
    credentials: fc.constantFrom(...CREDENTIALS),
    garbage: fc.constantFrom(...GARBAGE_AUTHORIZATION),
    id: fc.oneof({ weight: 5, arbitrary: fc.constant(UNKNOWN_UUID) }, { weight: 1, arbitrary: hostileString.map(percentEncode) }),
    query: sometimes(fc.tuple(hostileString, hostileString).map(([k, v]) => `?${percentEncode(k)}=${percentEncode(v)}&${percentEncode(k)}[]=x&a[b]=c`), 6),
    body: target.properties ? fc.oneof({ weight: 5, arbitrary: objectBody }, { weight: 2, arbitrary: rawJson(properties) }) : fc.constant(''),
    contentType: fc.oneof({ weight: 10, arbitrary: fc.constant('application/json') }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
    upload: multipartSpec,
    uploadAs: fc.constantFrom(...target.binary, 'application/json'),
    accept: fc.constantFrom('application/json', '*/*', 'text/html', 'application/xml'),
  });
}
type ApiCase = ReturnType<typeof apiCase> extends fc.Arbitrary<infer C> ? C : never;

let sent = 0;

function requestOf(c: ApiCase, caller: ApiCaller) {
  const headers: Record<string, string> = { accept: c.accept, 'x-forwarded-for': someAddress((sent += 1) + 9_000_000) };
  if (c.credentials === 'token') headers.authorization = `Bearer ${caller.token}`;
  if (c.credentials === 'app password') headers.authorization = `Basic ${caller.basic}`;
  if (c.credentials === 'garbage') headers.authorization = c.garbage;
  if (c.credentials === 'session') headers['x-csrf-token'] = caller.persona.browser.csrf;
  const path = c.target.path.replace(/:\w+/g, c.id) + (c.query ?? '');
  let body: string | Buffer | undefined = c.body === '' ? undefined : c.body;
  let contentType = c.contentType;
  if (c.target.binary.length > 0 && c.uploadAs !== 'application/json') {
    if (c.uploadAs.startsWith('multipart/')) {
      ({ contentType, body } = multipartBody(c.upload, samples, 'avatar', []));
    } else {
      contentType = c.uploadAs;
      body = typeof c.upload.file === 'number' ? samples[c.upload.file % samples.length] : Buffer.from(c.upload.file);
    }
  }
  if (body !== undefined && contentType) headers['content-type'] = contentType;
  return { method: c.target.method, path, headers, body };
}

const summary = (c: ApiCase, answer: Answer) => `${c.target.method} ${c.target.path} (${c.credentials}, ${c.contentType}): ${answer.status}`;

describe('Every JSON API operation, fuzzed', () => {
  it('lists every operation of the document, the avatar upload with its media types', () => {
    expect(targets.map((target) => `${target.method} ${target.path}`)).toEqual(expect.arrayContaining(['PUT /api/v1/users/me', 'POST /api/v1/users/me/tokens', 'POST /api/v1/users/me/ssh-keys', 'DELETE /api/v1/users/me/tokens/:id', 'PUT /api/v1/users/me/password']));
    expect(targets.find((target) => target.method === 'PUT' && target.path === '/api/v1/users/me/avatar')?.binary).toContain('multipart/form-data');
  });

  it('answers every hostile request with words in JSON: never a 5xx or a stack trace', async () => {
    const { seed, numRuns } = fuzzSettings('JSON API', 0.3);
    const statuses = new Map<number, number>();
    let withBody = 0;
    const sendCase = async (c: ApiCase, lane: number) => {
      if (['POST', 'PUT', 'PATCH'].includes(c.target.method)) withBody += 1;
      const caller = callers[lane] as ApiCaller;
      const browser = await caller.ready();
      const request = requestOf(c, caller);
      const answer = c.credentials.startsWith('session') ? await browser.send(request) : await server.send(request);
      // A 401 may mean the account is gone (deleted, or its password changed under the session): the lane gets a new one.
      if (answer.status === 401 && c.credentials !== 'none' && c.credentials !== 'garbage') caller.persona.observe(answer);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      const problem = problemWith(answer) ?? (answer.status >= 400 && !answer.headers['content-type']?.startsWith('application/json') ? 'an API error that is not JSON' : undefined);
      if (problem) throw new Error(`${summary(c, answer)}: ${problem}`);
    };
    await checkCases(fc.constantFrom(...targets).chain(apiCase), sendCase, { seed, numRuns });
    console.log(`JSON API: answers by status ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}, ${withBody} cases of operations that take a body`);
    // Most cases reached the operation (its validation, or it went through) rather than a rate
    // limit; and the operations that take a body often got as far as checking it (the share of
    // all cases would shrink with every operation added that takes none).
    expect(statuses.get(429) ?? 0).toBeLessThan(numRuns / 10);
    expect(statuses.get(422) ?? 0).toBeGreaterThan(withBody / 8);
  }, 600_000);

  it('leaves only rows the forms would accept in the database', async () => {
    expect(await invalidRows(t)).toEqual([]);
  });
});
