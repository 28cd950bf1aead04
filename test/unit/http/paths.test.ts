import { loginUrlFor, safeNext } from '../../../src/http/paths';
import { BYPASS_SPELLINGS, EVIL, leavingSite } from '../../helpers/redirect-spellings';

const BASE = new URL('http://localhost:3000');

describe('safeNext', () => {
  it.each(['/', '/profile', '/profile/account?tab=1#x', '/a/b%2Fc', '/profile/activity?kind=a%20b', '/search?q=100%25'])('keeps the same-site path %s', (path) => {
    expect(safeNext(path, BASE)).toBe(path);
  });

  it.each([
    'https://evil.example/',
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    'profile',
    '/\u0000x',
    '/\r\nLocation: https://evil.example',
    '/\tx',
    `/${'a'.repeat(3000)}`,
    '',
  ])('refuses %j', (path) => {
    expect(safeNext(path, BASE)).toBe('/');
  });

  it('refuses anything that is not a string', () => {
    expect(safeNext(['/a', '/b'], BASE)).toBe('/');
    expect(safeNext({ a: 1 }, BASE)).toBe('/');
    expect(safeNext(undefined, BASE, '/home')).toBe('/home');
  });

  it('builds login links that come back', () => {
    expect(loginUrlFor('/profile?x=1', BASE)).toBe('/login?next=%2Fprofile%3Fx%3D1');
    expect(loginUrlFor('/', BASE)).toBe('/login');
    expect(loginUrlFor('//evil', BASE)).toBe('/login');
  });
});

describe('safeNext against every known way of writing another site', () => {
  it(`knows at least 30 spellings`, () => {
    expect(new Set(BYPASS_SPELLINGS).size).toBeGreaterThanOrEqual(30);
  });

  it.each(BYPASS_SPELLINGS.map((spelling) => [spelling]))('keeps %j on the site, as a browser resolves it', (spelling) => {
    const result = safeNext(spelling, BASE);
    expect(leavingSite([{ spelling, target: result }], BASE)).toEqual([]);
    // Nor once decoded, by whatever might decode it again.
    expect(decodeURIComponent(decodeURIComponent(result))).not.toContain(EVIL);
    // The answer is its own answer: read again, it names the same place.
    expect(safeNext(result, BASE)).toBe(result);
  });

  it('turns "/.//evil.example" into the fallback, not into "//evil.example"', () => {
    expect(safeNext(`/.//${EVIL}`, BASE)).toBe('/');
    expect(safeNext(`/%2e%2e//${EVIL}`, BASE, '/profile')).toBe('/profile');
    expect(safeNext(`/profile/..//${EVIL}`, BASE)).toBe('/');
  });

  it('accepts a full URL on BASE_URL and answers with its path, and no other origin', () => {
    expect(safeNext('http://localhost:3000/profile/account?tab=1#top', BASE)).toBe('/profile/account?tab=1#top');
    expect(safeNext('http://LOCALHOST:3000/profile', BASE)).toBe('/profile');
    expect(safeNext('https://localhost:3000/profile', BASE)).toBe('/');
    expect(safeNext('http://localhost:3001/profile', BASE)).toBe('/');
    const secure = new URL('https://accounts.example.com');
    expect(safeNext('https://accounts.example.com/profile', secure)).toBe('/profile');
    expect(safeNext('http://accounts.example.com/profile', secure)).toBe('/');
    expect(safeNext('http://localhost:3000/profile', secure)).toBe('/');
  });

  it('answers in characters a Location header can carry', () => {
    expect(safeNext('/profile/ćirilica?q=ü', BASE)).toBe('/profile/%C4%87irilica?q=%C3%BC');
  });

  it('never builds a login link that leaves the site', () => {
    const links = BYPASS_SPELLINGS.map((spelling) => {
      const next = new URL(loginUrlFor(spelling, BASE), BASE).searchParams.get('next') ?? undefined;
      return { spelling, target: next };
    });
    expect(leavingSite(links, BASE)).toEqual([]);
  });
});
