import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import * as images from '../../helpers/images';
import { totpAt } from '../../helpers/totp';

const ctx = { ip: '127.0.0.1', userAgent: 'test', locale: 'en' as const };
const HOSTILE_PRODUCT_NAME = 'Ac"me; filename=evil.html Ünïcode/..\\';

const t = describeApp({ PRODUCT_NAME: HOSTILE_PRODUCT_NAME });

describe('Names of files', () => {
  it('in downloads are fixed by the service, cleaned to letters, digits and dashes, and sent as attachments', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const { secret, sealed } = t.services.mfa.beginTotpEnrolment(user);
    await t.services.mfa.enableTotp(user, sealed, totpAt(secret, t.clock.now()), ctx, false);
    const tab = await visitor.get('/profile/security');
    await visitor.post('/profile/security/recovery-codes', { _csrf: csrfTokenIn(tab.text) });

    const downloads = [await visitor.get('/profile/data/export'), await visitor.get('/profile/security/recovery-codes.txt')];
    for (const res of downloads) {
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[a-z0-9-]+\.(json|txt)"$/);
    }
    expect(downloads.map((res) => res.headers['content-disposition'])).toEqual([
      expect.stringMatching(/^attachment; filename="ac-me-filename-evil-html-n-code-+my-data\.json"$/),
      expect.stringMatching(/^attachment; filename="ac-me-filename-evil-html-n-code-+recovery-codes\.txt"$/),
    ]);
  });

  it('that people upload are ignored: a picture is stored and served under the digest of its cleaned content', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const page = await visitor.get('/profile/account');
    const res = await visitor.agent
      .post('/profile/account/avatar')
      .set('Accept', 'text/html')
      .field('_csrf', csrfTokenIn(page.text))
      .attach('avatar', await images.solidPng(), { filename: '../../../etc/passwd".png', contentType: 'image/png' });
    expect(res.status).toBe(303);
    const row = await t.deps.db('users').where({ id: user.id }).first();
    expect(row.avatar_hash).toMatch(/^[0-9a-f]{64}$/);
    const stored = JSON.stringify(await t.deps.db('avatars').where({ user_id: user.id }).select(t.deps.db.raw('to_jsonb(avatars) - \'large\' - \'small\' as row')));
    expect(stored).not.toContain('passwd');
    expect((await visitor.get('/profile/account')).text).toContain(`/avatars/${row.avatar_hash}/96.webp`);
  });
});

describe('Paths under the public URLs', () => {
  it('never reach a file outside the public folders, however the dots and slashes are spelled', async () => {
    const attempts = [
      '/assets/../package.json',
      '/assets/..%2Fpackage.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/assets/css/..%2F..%2F..%2Fpackage.json',
      '/assets/..%5C..%5Cpackage.json',
      '/assets/.env',
      '/assets/vendor/swagger-ui/package.json',
      '/assets/vendor/swagger-ui/..%2F..%2F..%2Fpackage.json',
      '/avatars/..%2F..%2Fpackage.json/96.webp',
      '/users/..%2F..%2Fpackage.json.keys',
    ];
    for (const path of attempts) {
      const res = await request(t.app).get(path);
      expect({ path, found: res.status === 200 }).toEqual({ path, found: false });
      expect(res.text ?? '').not.toContain('"name": "atrium"');
    }
    expect((await request(t.app).get('/assets/css/app.css')).status).toBe(200);
  });
});
