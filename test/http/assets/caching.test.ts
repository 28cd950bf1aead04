import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';

const t = describeApp();

/** The URLs a page asks for, as its layout writes them. */
function assetUrls(html: string): string[] {
  return [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => (m[1] as string).replaceAll('&amp;', '&'));
}

describe('Browsers cache what never changes and never store what is personal', () => {
  it('caches the versioned files a page names for a year without asking again', async () => {
    const page = await new Visitor(t.app).get('/login');
    const versioned = assetUrls(page.text).filter((url) => url.includes('?v='));
    expect(versioned.length).toBeGreaterThanOrEqual(3);
    for (const url of versioned.filter((u) => !u.startsWith('/assets/vendor/'))) {
      const res = await request(t.app).get(url);
      expect([url, res.status]).toEqual([url, 200]);
      expect([url, res.headers['cache-control']]).toEqual([url, 'public, max-age=31536000, immutable']);
    }
  });

  it('lets a file asked for without the current version (a font, an old page after a deploy) change within a day', async () => {
    const version = /\?v=(\w+)/.exec((await new Visitor(t.app).get('/login')).text)?.[1] as string;
    for (const url of ['/assets/fonts/inter-latin-wght-normal.woff2', '/assets/css/app.css', `/assets/css/app.css?v=${version}x`]) {
      const res = await request(t.app).get(url);
      expect([url, res.status]).toEqual([url, 200]);
      expect([url, res.headers['cache-control']]).toEqual([url, 'public, max-age=86400']);
      expect(res.headers.etag ?? res.headers['last-modified']).toBeTruthy();
    }
  });

  it('marks signed-in pages no-store, without a validator', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const res = await visitor.get('/profile/account');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.etag).toBeUndefined();
  });

  it('sends no page that asks for anything from another site', async () => {
    const stranger = new Visitor(t.app);
    const member = await signedIn(t, await createUser(t));
    const pages: Array<[Visitor, string]> = [[stranger, '/login'], [stranger, '/signup'], [stranger, '/forgot-password'], [member, '/profile/account'], [member, '/profile/sessions'], [member, '/profile/security']];
    for (const [visitor, path] of pages) {
      const res = await visitor.get(path);
      expect([path, res.status]).toEqual([path, 200]);
      const loaded = [...res.text.matchAll(/<(?:script|img|link|iframe|source|video|audio)\b[^>]*\s(?:src|href)="((?:https?:)?\/\/[^"]+)"/g)].map((m) => m[1]);
      expect([path, loaded]).toEqual([path, []]);
    }
  });
});
