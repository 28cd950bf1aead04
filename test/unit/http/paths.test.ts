import { loginUrlFor, safeNext } from '../../../src/http/paths';

describe('safeNext', () => {
  it.each(['/', '/profile', '/profile/account?tab=1#x', '/a/b%2Fc'])('keeps the same-site path %s', (path) => {
    expect(safeNext(path)).toBe(path);
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
    expect(safeNext(path)).toBe('/');
  });

  it('refuses anything that is not a string', () => {
    expect(safeNext(['/a', '/b'])).toBe('/');
    expect(safeNext({ a: 1 })).toBe('/');
    expect(safeNext(undefined, '/home')).toBe('/home');
  });

  it('builds login links that come back', () => {
    expect(loginUrlFor('/profile?x=1')).toBe('/login?next=%2Fprofile%3Fx%3D1');
    expect(loginUrlFor('/')).toBe('/login');
    expect(loginUrlFor('//evil')).toBe('/login');
  });
});
