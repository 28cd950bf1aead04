import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { GOOD_PASSWORD } from '../../helpers/factories';

const t = describeApp();

const signUpFields = {
  first_name: 'Jane',
  last_name: 'Doe',
  email: 'bad-input@example.com',
  username: 'bad.input',
  password: GOOD_PASSWORD,
  password_confirm: GOOD_PASSWORD,
};

/** Posts a raw url-encoded body with a valid CSRF token, as a hostile client would. */
async function rawPost(path: string, body: string) {
  const visitor = new Visitor(t.app);
  await visitor.get(path);
  return visitor.agent.post(path).set('Accept', 'text/html').type('form').send(`_csrf=${visitor.csrf()}&${body}`);
}

function expectClear4xx(res: request.Response, status: number, text?: string) {
  expect(res.status).toBe(status);
  // The page's own title starts with the translated "Error:"; a stack trace would be in the body.
  expect(res.text.replace(/<title>[^<]*<\/title>/, '')).not.toMatch(/at \w+ \(|node_modules|Error:\s/);
  if (text) expect(res.text).toContain(text);
}

describe('Hostile and broken input on the sign-up and sign-in forms', () => {
  it('10,000-character values get a message per field', async () => {
    const long = 'a'.repeat(10_000);
    const res = await new Visitor(t.app).submit('/signup', { ...signUpFields, first_name: long, last_name: long, email: `${long}@example.com`, username: long });
    expectClear4xx(res, 422, 'Must be 100 characters or fewer');
    expect(res.text).toContain('Email address must be 254 characters or fewer');
    expect(res.text).toContain('Must be 32 characters or fewer');
    const login = await new Visitor(t.app).submit('/login', { identifier: long, password: long });
    expectClear4xx(login, 422, 'Must be 254 characters or fewer');
  });

  it('arrays where strings are expected are refused as the wrong type', async () => {
    // Brackets are not parsed into arrays: `first_name[]` is simply not `first_name`.
    const res = await rawPost('/signup', 'first_name[]=x&first_name[]=y&last_name=Doe&email=a@example.com&username=arr&password=x&password_confirm=x');
    expectClear4xx(res, 422, 'Enter your first name');
    const twice = await rawPost('/signup', 'first_name=x&first_name=y&last_name=Doe&email=a@example.com&username=arr&password=x&password_confirm=x');
    expectClear4xx(twice, 422, 'Enter this as text');
    const repeated = await rawPost('/login', 'identifier=a&identifier=b&password=c');
    expectClear4xx(repeated, 422, 'Enter this as text');
  });

  it('NUL bytes and line breaks in one-line fields are refused', async () => {
    const res = await rawPost('/signup', 'first_name=Ja%00ne&last_name=Do%0d%0ae&email=nul@example.com&username=nul&password=x&password_confirm=x');
    expectClear4xx(res, 422, 'Must not contain line breaks or control characters');
    const pw = await rawPost('/login', 'identifier=someone&password=pass%00word');
    expectClear4xx(pw, 422, 'Must not contain line breaks or control characters');
  });

  it('invalid percent-encoding and invalid UTF-8 are answered with words', async () => {
    const res = await rawPost('/signup', 'first_name=%E0%A4%A&last_name=%ZZ&email=x%FF@example.com&username=%C3%28&password=x&password_confirm=x');
    expect(res.status).toBe(422);
    expect(res.text).toContain('There is a problem');
    const path = await request(t.app).get('/reset-password/%E0%A4%A').set('Accept', 'text/html');
    expectClear4xx(path, 400, 'This address contains characters that cannot be read.');
  });

  it('header injection through the email field is refused', async () => {
    const res = await new Visitor(t.app).submit('/signup', { ...signUpFields, email: 'victim@example.com\r\nBcc: all@example.com' });
    expectClear4xx(res, 422, 'Enter an email address in the correct format');
    const quoted = await new Visitor(t.app).submit('/signup', { ...signUpFields, email: '"a b"@example.com' });
    expectClear4xx(quoted, 422, 'Enter an email address in the correct format');
  });

  it('a missing or wrong form token is a 403 that says the form expired', async () => {
    const visitor = new Visitor(t.app);
    await visitor.get('/signup');
    const expired = 'This form expired; check the values and send it again.';
    const missing = await visitor.post('/signup', signUpFields);
    expectClear4xx(missing, 403, expired);
    expect(missing.text).toContain('action="/signup"');
    const wrong = await visitor.post('/signup', { ...signUpFields, _csrf: 'x'.repeat(64) });
    expectClear4xx(wrong, 403, expired);
    const noSession = await new Visitor(t.app).post('/login', { _csrf: 'abc', identifier: 'a', password: 'b' });
    expectClear4xx(noSession, 403, expired);
    const notAForm = await new Visitor(t.app).post('/logout', { _csrf: 'abc' });
    expectClear4xx(notAForm, 403, 'This form expired, please try again.');
    expect(notAForm.text).toContain('Form expired');
  });

  it('a body over the limit is a 413 page', async () => {
    const res = await rawPost('/login', `identifier=${'a'.repeat(200_000)}&password=x`);
    expectClear4xx(res, 413, 'What you sent is too large.');
  });

  it('malformed JSON is a 400 in the JSON error format', async () => {
    const res = await request(t.app).post('/login').set('Accept', 'application/json').set('Content-Type', 'application/json').send('{"identifier": ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'malformed_body', message: expect.any(String) } });
  });

  it('validation failures reach JSON clients with a message per field', async () => {
    const visitor = new Visitor(t.app);
    await visitor.get('/login');
    const res = await visitor.agent.post('/login').set('Accept', 'application/json').set('X-CSRF-Token', visitor.csrf()).send({ identifier: ['x'] });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Enter this as text');
  });
});

describe('Pages that do not exist', () => {
  it('is a 404 page in the visitor\'s language, or JSON', async () => {
    const page = await request(t.app).get('/no/such/page').set('Accept', 'text/html').set('Accept-Language', 'de-DE,de;q=0.9');
    expectClear4xx(page, 404, 'Seite nicht gefunden');
    const json = await request(t.app).get('/no/such/page').set('Accept', 'application/json');
    expect(json.status).toBe(404);
    expect(json.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });
});
