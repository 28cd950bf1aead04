import { describeApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { GOOD_PASSWORD } from '../../helpers/factories';

const t = describeApp({}, { mail: true });

describe('The home page right after sign-up', () => {
  it('shows one notice about the email address, not a greeting and a reminder saying the same', async () => {
    const visitor = new Visitor(t.app);
    const res = await visitor.submit('/signup', {
      first_name: 'Nora', last_name: 'Notice', email: 'nora@example.com', username: 'nora',
      password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD,
    });
    expect(res.headers.location).toBe('/');
    const home = await visitor.get('/');
    expect(home.text.match(/class="[^"]*\bnotice\b/g)).toHaveLength(1);
    expect(home.text.split('nora@example.com.').length - 1).toBe(1);
    expect(home.text).toContain('Please verify your email address');
    expect(home.text).toContain('Send the link again');
  });
});
