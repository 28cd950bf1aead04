import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';

const t = describeApp();

const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];

describe('The title of a page that reports a failure', () => {
  it('starts with "Error:" on an error page', async () => {
    const res = await request(t.app).get('/no-such-page').set('Accept', 'text/html');
    expect(res.status).toBe(404);
    expect(titleOf(res.text)).toMatch(/^Error: /);
  });

  it('starts with "Error:" on a form sent back with messages, in the page\'s language', async () => {
    const visitor = new Visitor(t.app);
    const res = await visitor.submit('/signup', { first_name: '', last_name: '', email: 'not an address', username: '', password: '', password_confirm: '' });
    expect(res.status).toBe(422);
    expect(titleOf(res.text)).toMatch(/^Error: Create your account/);
    const german = await request(t.app).get('/no-such-page').set('Accept', 'text/html').set('Accept-Language', 'de');
    expect(titleOf(german.text)).toMatch(/^Fehler: /);
  });

  it('does not on a page that went well', async () => {
    const res = await request(t.app).get('/login').set('Accept', 'text/html');
    expect(titleOf(res.text)).not.toMatch(/Error/);
  });
});
