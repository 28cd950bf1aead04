// Hostile HTTP by the thousand, written byte by byte: invalid percent-encoding in paths,
// queries and bodies, duplicate keys and headers, wrong content types and encodings, JSON
// nested 1,000 deep on form routes, overlong headers and cookies, tampered session, device
// and preference cookies. The routes come from the live router.
import fc from 'fast-check';
import type { Express } from 'express';
import { describeApp } from '../helpers/app';
import { concretePath, routeList, type RouteEntry } from '../helpers/route-list';
import { FuzzServer, someAddress, type Answer } from './fuzz-client';
import { multipartBody, multipartSpec, uploadSamples } from './fuzz-bodies';
import { invalidRows, problemWith } from './fuzz-oracles';
import { Persona, ROOMY_LIMITS } from './fuzz-personas';
import { checkCases, fuzzSettings, LANES } from './fuzz-run';
import { rawRequest, requestBytes } from './raw-http';
import { deeplyNested, encodedFormValue, hostileString, jsonValue, percentEncode, PROBES } from './fuzz-values';

const t = describeApp(ROOMY_LIMITS);

let server: FuzzServer;
let routes: RouteEntry[];
let members: Persona[];
let samples: Buffer[];

beforeAll(async () => {
  server = await FuzzServer.listen(t.app);
  routes = routeList(t.app as Express);
  members = Array.from({ length: LANES }, () => new Persona(t, server, true));
  samples = await uploadSamples();
}, 120_000);

afterAll(async () => {
  await server?.close();
});

const BROKEN_ESCAPES = ['%', '%Z', '%ZZ', '%E0%A4%A', '%C3%28', '%FF', '%C0%AF', '%ED%A0%80', '%00', '%2e%2e', '%2F', '..', '//', ';', '%u0041', '%%', '%25'];

/** Where a path goes wrong: a broken escape put in, a hostile segment, or a very long path. */
const pathMangling = fc.oneof(
  fc.tuple(fc.constantFrom(...BROKEN_ESCAPES), fc.double({ min: 0, max: 1, noNaN: true })).map(([escape, at]) => (path: string) => path.slice(0, Math.floor(path.length * at)) + escape + path.slice(Math.floor(path.length * at))),
  hostileString.map((segment) => (path: string) => `${path.replace(/\/[^/]*$/, '')}/${percentEncode(segment)}`),
  fc.constantFrom(2_000, 9_000, 70_000).map((length) => (path: string) => `${path}/${'a'.repeat(length)}`),
  fc.constant((path: string) => path),
);

const query = fc.oneof(
  fc.constant(''),
  fc.tuple(fc.constantFrom('next', 'method', 'page', 'kind', 'signed_out', 'lang', 'x'), encodedFormValue).map(([key, value]) => `?${key}=${value}&${key}=${value}&${key}[]=x&${key}[a]=b`),
  fc.constantFrom(...PROBES).map((probe) => `?next=${percentEncode(probe)}&page=${percentEncode(probe)}&kind=${percentEncode(probe)}`),
  fc.constantFrom(...BROKEN_ESCAPES).map((escape) => `?next=${escape}&page=${escape}`),
);

/** Cookie names the app sets (src/http/cookies.ts), and values no browser of ours was given. */
const COOKIES = ['sid', 'did', 'lang', 'theme', 'tz', 'signed_in'];
const cookieTampering = fc.oneof(
  fc.constantFrom('bad signature', 'truncated', 'unsigned', 'other format', 'JSON', 'broken escape', 'empty', 'twice').map((how) => ({ name: 'sid', how, value: '' })),
  fc.tuple(fc.constantFrom(...COOKIES), fc.oneof(hostileString.map(percentEncode), fc.constantFrom('j:{"a":1}', 'j:[', 's:x.y', '%E0%A4%A', 'A'.repeat(43), 'A'.repeat(42) + '!', 'Europe/Nowhere', 'Etc/GMT+99', 'sr-Cyrl', 'xx-XX', '1', ''))).map(([name, value]) => ({ name, how: 'value', value })),
);

/** Headers that are too long, repeated, or carry bytes a header may not. */
const headerAbuse = fc.oneof(
  fc.constantFrom(4_000, 16_500, 40_000, 100_000).map((length) => [['Cookie', `big=${'x'.repeat(length)}`]] as Array<[string, string]>),
  fc.constantFrom(200, 2_000).map((count) => [['Cookie', Array.from({ length: count }, (_, i) => `c${i}=v`).join('; ')]] as Array<[string, string]>),
  fc.tuple(fc.constantFrom('Accept-Language', 'User-Agent', 'Referer', 'Accept', 'X-Forwarded-For', 'X-CSRF-Token', 'Authorization', 'Sec-CH-UA', 'Sec-CH-UA-Platform'), fc.oneof(hostileString.map((v) => Buffer.from(v, 'utf8').toString('latin1')), fc.constantFrom('x'.repeat(9_000), '*;q=2, de;q=-1, ;;;', '\x00', 'a\x7fb', 'a\rb'))).map(([name, value]) => [[name, value]] as Array<[string, string]>),
  fc.constantFrom<Array<[string, string]>>([['Content-Length', '5'], ['Content-Length', '6']], [['Transfer-Encoding', 'chunked'], ['Content-Length', '3']], [['Transfer-Encoding', 'gzip, chunked']], [['Host', 'a'], ['Host', 'b']], [['Expect', '100-continue']], [['Content-Encoding', 'gzip']], [['Content-Encoding', 'br']], [['Content-Encoding', 'bogus']]),
);

const CONTENT_TYPES = ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-16', 'application/x-www-form-urlencoded; charset=latin1', 'application/x-www-form-urlencoded; charset=bogus', 'application/json', 'application/json; charset=bogus', 'text/plain', 'text/html', 'application/xml', 'multipart/form-data', 'multipart/form-data; boundary=', 'multipart/mixed; boundary=x', '', '*/*', 'application/x-www-form-urlencoded, application/json'];

/** Stands for the lane's form token in a generated body (the token is known only when the case is sent). */
const CSRF_PLACEHOLDER = 'CSRF-TOKEN-HERE';

/** Bodies: url-encoded with broken escapes and repeated keys, JSON nested 1,000 deep, JSON of any shape, multipart cut short, or bytes. */
function bodyFor(route: RouteEntry) {
  const csrf = CSRF_PLACEHOLDER;
  return fc.oneof(
    fc.array(fc.tuple(fc.constantFrom('first_name', 'email', 'name', 'title', 'code', 'password', 'identifier', 'x', 'a[b]', 'a[]', '__proto__[x]', ''), encodedFormValue), { maxLength: 6 }).map((pairs) => `_csrf=${csrf}&${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`),
    fc.tuple(fc.constantFrom(1_000, 3_000), fc.constantFrom('array' as const, 'object' as const)).map(([depth, kind]) => `{"_csrf":"${csrf}","first_name":${deeplyNested(depth, kind)}}`),
    fc.dictionary(fc.constantFrom('first_name', 'email', 'name', 'title', 'key', 'scope', 'x'), jsonValue).map((body) => JSON.stringify({ _csrf: csrf, ...body })),
    multipartSpec.map((spec) => multipartBody(spec, samples, 'avatar', [['_csrf', csrf]]).body),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
    fc.constant(route.path.includes('avatar') ? (samples[0] as Buffer) : ''),
  );
}

function rawCase(route: RouteEntry) {
  return fc.record({
    route: fc.constant(route),
    method: fc.oneof({ weight: 6, arbitrary: fc.constant(route.method.toUpperCase()) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'get') }),
    signedIn: fc.boolean(),
    mangle: fc.oneof({ weight: 3, arbitrary: fc.constant((path: string) => path) }, { weight: 2, arbitrary: pathMangling }),
    query,
    cookie: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: cookieTampering }),
    abuse: fc.oneof({ weight: 3, arbitrary: fc.constant([] as Array<[string, string]>) }, { weight: 1, arbitrary: headerAbuse }),
    contentType: fc.constantFrom(...CONTENT_TYPES),
    csrfHeader: fc.boolean(),
  });
}
type RawCase = ReturnType<typeof rawCase> extends fc.Arbitrary<infer C> ? C : never;

/** The browser's cookies with one of them tampered with, as the case says. */
function cookieHeader(cookies: Map<string, string>, tampering: RawCase['cookie']): string {
  const jar = new Map(cookies);
  const sid = jar.get('sid') ?? 's:abc.def';
  if (tampering?.how === 'value') jar.set(tampering.name, tampering.value);
  else if (tampering) {
    const tampered: Record<string, string> = {
      'bad signature': sid.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A')),
      truncated: sid.slice(0, Math.max(3, sid.length - 10)),
      unsigned: sid.replace(/^s%3A|^s:/, '').split('.')[0] as string,
      'other format': `s:${'0'.repeat(32)}.${'A'.repeat(43)}`,
      JSON: 'j:{"userId":"00000000-0000-4000-8000-000000000000"}',
      'broken escape': `${sid}%E0%A4%A`,
      empty: '',
      twice: `${sid}; sid=s%3Aother.sig`,
    };
    jar.set('sid', tampered[tampering.how] ?? sid);
    if (tampering.how !== 'empty') jar.set('signed_in', '1');
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

let sent = 0;

const summary = (c: RawCase, path: string, answer: Answer) => `${c.method} ${path.slice(0, 200)} (${c.signedIn ? 'signed in' : 'visitor'}, cookie ${JSON.stringify(c.cookie)?.slice(0, 100)}, ${c.contentType}): ${answer.status}`;

describe('Hostile HTTP, byte by byte', () => {
  it('is answered with words: never a 5xx, a stack trace or an unescaped echo', async () => {
    const { seed, numRuns } = fuzzSettings('raw HTTP', 0.25);
    const statuses = new Map<number, number>();
    const sendCase = async ([c, body]: [RawCase, string | Buffer], lane: number) => {
      const persona = members[lane] as Persona;
      const browser = c.signedIn ? await persona.ready() : undefined;
      const path = c.mangle(concretePath(c.route)) + c.query;
      const headers: Array<[string, string]> = [
        ['Accept', c.route.path.startsWith('/api/') ? 'application/json' : 'text/html'],
        ['X-Forwarded-For', someAddress((sent += 1) + 5_000_000)],
        ...(browser || c.cookie ? [['Cookie', cookieHeader(browser?.cookies ?? new Map(), c.cookie)] as [string, string]] : []),
        ...(c.csrfHeader && browser ? [['X-CSRF-Token', browser.csrf] as [string, string]] : []),
        ...(c.contentType ? [['Content-Type', c.contentType] as [string, string]] : []),
        ...c.abuse,
      ];
      const raw = Buffer.isBuffer(body) ? body.toString('latin1') : Buffer.from(body).toString('latin1');
      const bytes = Buffer.from(raw.replace(CSRF_PLACEHOLDER, browser?.csrf ?? 'x'), 'latin1');
      if (!c.abuse.some(([name]) => /^(content-length|transfer-encoding)$/i.test(name))) headers.push(['Content-Length', String(bytes.length)]);
      const answer = await rawRequest(server.port, requestBytes(c.method, path, headers, bytes));
      if (browser) persona.observe(answer);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      // A body whose framing cannot be read (chunks that are not chunks) may end the connection instead of an answer, as HTTP/1.1 allows.
      const badFraming = c.abuse.some(([name]) => /^transfer-encoding$/i.test(name));
      const problem = answer.status === 0 ? (badFraming ? undefined : 'no answer') : problemWith(answer, { parserAnswer: true, head: c.method === 'HEAD' });
      if (problem) throw new Error(`${summary(c, path, answer)}: ${problem}`);
    };
    const cases = fc.constantFrom(...routes).chain((route) => fc.tuple(rawCase(route), bodyFor(route)));
    await checkCases(cases, sendCase, { seed, numRuns });
    console.log(`raw HTTP: answers by status ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
  }, 600_000);

  it('leaves only rows the forms would accept in the database', async () => {
    expect(await invalidRows(t)).toEqual([]);
  });
});
