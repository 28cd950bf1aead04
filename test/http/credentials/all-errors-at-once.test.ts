import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';

const t = describeApp();

const summary = (html: string) =>
  [.../<ul class="error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1]?.matchAll(/<li>([\s\S]*?)<\/li>/g) ?? []].map((m) => (m[1] ?? '').replace(/<[^>]+>/g, '').trim());
const inline = (html: string, name: string) => new RegExp(`<p class="field__error" id="field-${name}-error">([\\s\\S]*?)</p>`).exec(html)?.[1]?.replace(/<[^>]+>/g, '').trim();

describe('A new token with three wrong fields', () => {
  it('answers the form (a 61-character name, "On a date" without a date, a bad allow-list) with three messages, values kept', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const res = await visitor.submit('/profile/tokens', { name: 'n'.repeat(61), scope: 'read', expires: 'custom', expires_on: '', allowed_ips: 'not-an-ip, 10.0.0.0/99' });
    expect(res.status).toBe(422);
    expect(summary(res.text)).toHaveLength(3);
    expect(inline(res.text, 'name')).toBe('Error: Must be 60 characters or fewer');
    expect(inline(res.text, 'expires_on')).toMatch(/Enter the expiry date as a date/);
    expect(inline(res.text, 'allowed_ips')).toMatch(/&#34;not-an-ip&#34; is not an IP address or CIDR range/);
    expect(res.text).toContain('not-an-ip, 10.0.0.0/99</textarea>');
    expect(await t.services.apiTokens.list(user)).toHaveLength(0);
  });

  it('answers the JSON API with every field error at once', async () => {
    const user = await createUser(t);
    const { secret } = await t.services.apiTokens.create(user, { name: 'Admin', scope: 'write', expires: '30' }, { ip: '127.0.0.1', userAgent: '', locale: 'en' });
    const res = await request(t.app)
      .post('/api/v1/users/me/tokens')
      .set('Authorization', `Bearer ${secret}`)
      .send({ name: 'n'.repeat(61), scope: 'read', expires_on: '31/12/2027', allowed_ips: ['not-an-ip', '10.0.0.0/99'], current_password: user.password });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['allowed_ips', 'expires_on', 'name']);
    expect(res.body.error.fields.allowed_ips).toMatch(/"not-an-ip" is not an IP address or CIDR range/);
  });
});

describe('A new SSH key without a title and with a private key pasted', () => {
  it('answers with both messages at once, and never shows the pasted key again', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const pasted = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----';
    const res = await visitor.submit('/profile/keys', { title: '', key: pasted });
    expect(res.status).toBe(422);
    expect(summary(res.text)).toHaveLength(2);
    expect(inline(res.text, 'title')).toBeTruthy();
    expect(inline(res.text, 'key')).toMatch(/private key/i);
    expect(res.text).not.toContain('b3BlbnNzaC1rZXktdjEAAAAA');
  });
});
