// Hostile input by the thousand over every form: every browser route that takes a post, found
// in the live router, with the fields of the forms the app renders, from visitors and from
// signed-in people (with a valid form token, so the input reaches validation; sometimes
// with none or a forged one), url-encoded, as JSON or as a truncated multipart upload.
import fc from 'fast-check';
import { describeApp } from '../helpers/app';
import { concretePath } from '../helpers/route-list';
import { FuzzBrowser, FuzzServer, type Answer } from './fuzz-client';
import { multipartBody, multipartSpec, uploadSamples } from './fuzz-bodies';
import { invalidRows, problemWith } from './fuzz-oracles';
import { Persona, ROOMY_LIMITS } from './fuzz-personas';
import { crawlForms, formTargets, type FormTarget } from './fuzz-targets';
import { checkCases, fuzzSettings, LANES } from './fuzz-run';
import { encodedFormValue, encodeField, fieldShape, hostileString, jsonValue, longString, percentEncode, sometimes } from './fuzz-values';

const t = describeApp(ROOMY_LIMITS);

let server: FuzzServer;
let targets: FormTarget[];
let personas: { visitors: Persona[]; members: Persona[] };
let samples: Buffer[];

beforeAll(async () => {
  server = await FuzzServer.listen(t.app);
  const member = new Persona(t, server, true);
  const visitor = new FuzzBrowser(server);
  const seen = [...(await crawlForms(t.app, visitor)), ...(await crawlForms(t.app, await member.ready()))];
  targets = formTargets(t.app, seen);
  personas = {
    visitors: Array.from({ length: LANES }, () => new Persona(t, server, false)),
    members: [member, ...Array.from({ length: LANES - 1 }, () => new Persona(t, server, true))],
  };
  samples = await uploadSamples();
}, 120_000);

afterAll(async () => {
  await server?.close();
});

function formCase(target: FormTarget) {
  return fc.record({
    target: fc.constant(target),
    member: fc.boolean(),
    csrf: fc.oneof({ weight: 12, arbitrary: fc.constant('valid' as const) }, { weight: 1, arbitrary: fc.constantFrom('missing' as const, 'forged' as const) }),
    fields: fc
      .tuple(fc.constant(target.fields), fc.subarray(target.otherFields, { maxLength: target.seen ? 2 : 6 }))
      .chain(([own, other]) => fc.tuple(...[...own, ...other].map((name) => fc.tuple(fc.constant(name), fieldShape, encodedFormValue, encodedFormValue)))),
    long: sometimes(fc.tuple(fc.nat(), longString.map(percentEncode)), 12),
    extra: fc.array(fc.tuple(hostileString, encodedFormValue), { maxLength: 2 }),
    param: sometimes(hostileString, 6),
    as: target.files.length > 0 ? fc.constantFrom('multipart' as const, 'multipart' as const, 'form' as const, 'json' as const) : fc.oneof({ weight: 8, arbitrary: fc.constant('form' as const) }, { weight: 1, arbitrary: fc.constant('json' as const) }),
    json: fc.dictionary(fc.constantFrom(...target.fields, 'x'), jsonValue, { maxKeys: 4 }),
    upload: multipartSpec,
    accept: fc.constantFrom('text/html', 'text/html', 'text/html', 'application/json', '*/*'),
    userAgent: sometimes(hostileString.map((ua) => ua.replace(/[^\x20-\x7e\x80-\xff]/g, '')), 4),
  });
}
type FormCase = ReturnType<typeof formCase> extends fc.Arbitrary<infer C> ? C : never;

/** The request a case sends: the url-encoded fields, JSON, or a multipart body with the token inside. */
function requestOf(c: FormCase, browser: FuzzBrowser) {
  const token = c.csrf === 'valid' ? browser.csrf : c.csrf === 'forged' ? 'f'.repeat(43) : undefined;
  const param = c.param;
  const path = param === null ? concretePath(c.target.route) : c.target.route.path.replace(/:\w+/g, () => percentEncode(param));
  const headers: Record<string, string> = { accept: c.accept, ...(c.userAgent === null ? {} : { 'user-agent': c.userAgent }) };
  if (c.as === 'json') {
    return { path, headers: { ...headers, 'content-type': 'application/json', ...(token ? { 'x-csrf-token': token } : {}) }, body: JSON.stringify(c.json) };
  }
  const fields = c.fields.map(([name, shape, first, second], i): typeof c.fields[number] => (c.long && i === c.long[0] % c.fields.length ? [name, shape, c.long[1], second] : [name, shape, first, second]));
  const pairs = fields.flatMap(([name, shape, first, second]) => encodeField(name, shape, [first, second]));
  const extra = c.extra.map(([name, value]) => `${percentEncode(name)}=${value}`);
  if (c.as === 'multipart') {
    const parts: Array<[string, string]> = [...(token ? [['_csrf', token] as [string, string]] : []), ...fields.map(([name, , value]) => [name, decodeURIComponentLoosely(value)] as [string, string])];
    const { contentType, body } = multipartBody(c.upload, samples, c.target.files[0] as string, parts);
    return { path, headers: { ...headers, 'content-type': contentType }, body };
  }
  const body = [...(token ? [`_csrf=${token}`] : []), ...pairs, ...extra].join('&');
  return { path, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body };
}

function decodeURIComponentLoosely(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const summary = (c: FormCase, answer: Answer) => `${c.target.route.label} (${c.member ? 'signed in' : 'visitor'}, ${c.as}, token ${c.csrf}): ${answer.status}`;

describe('Every browser form, fuzzed', () => {
  it('finds the forms of every feature, the avatar upload among them', () => {
    console.log(`browser forms: ${targets.length} routes; no form seen for ${targets.filter((target) => !target.seen).map((target) => target.route.label).join(', ')}`);
    const labels = targets.map((target) => target.route.label);
    expect(labels).toEqual(expect.arrayContaining(['POST /signup', 'POST /login', 'POST /profile/account/name', 'POST /profile/tokens', 'POST /profile/keys', 'POST /profile/delete']));
    expect(targets.find((target) => target.route.label === 'POST /profile/account/avatar')?.files).toEqual(['avatar']);
    expect(targets.find((target) => target.route.label === 'POST /signup')?.fields).toEqual(expect.arrayContaining(['first_name', 'last_name', 'email', 'username', 'password', 'password_confirm']));
  });

  it('answers every hostile post with words: never a 5xx, a stack trace or an unescaped echo', async () => {
    const { seed, numRuns } = fuzzSettings('browser forms', 0.45);
    const statuses = new Map<number, number>();
    const sendCase = async (c: FormCase, lane: number) => {
      const persona = (c.member ? personas.members : personas.visitors)[lane] as Persona;
      const browser = await persona.ready();
      const answer = await browser.send({ method: 'POST', ...requestOf(c, browser) });
      persona.observe(answer);
      // The console answers these personas (no administrator among them) 404 before reading anything, by design.
      if (!c.target.route.path.startsWith('/admin')) statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      const problem = problemWith(answer);
      if (problem) throw new Error(`${summary(c, answer)}: ${problem}`);
    };
    await checkCases(fc.constantFrom(...targets).chain(formCase), sendCase, { seed, numRuns });
    console.log(`browser forms: answers by status ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
    // Most cases outside the console reached validation (422) or went through, rather than stopping at the token check or a rate limit.
    const outsideConsole = [...statuses.values()].reduce((sum, n) => sum + n, 0);
    expect(outsideConsole).toBeGreaterThan(numRuns / 2);
    expect((statuses.get(422) ?? 0) + (statuses.get(303) ?? 0) + (statuses.get(200) ?? 0)).toBeGreaterThan(outsideConsole / 2);
  }, 600_000);

  it('leaves only rows the forms would accept in the database', async () => {
    expect(await invalidRows(t)).toEqual([]);
  });
});
