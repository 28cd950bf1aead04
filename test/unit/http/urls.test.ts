import { URLS, pathTo } from '../../../src/http/urls';

describe('The URL table', () => {
  it('fills in parameters, encoded, so a value cannot reach another path', () => {
    expect(pathTo('tokenRevoke', { id: 'abc' })).toBe('/profile/tokens/abc/revoke');
    expect(pathTo('authorizedKeys', { username: 'ana' })).toBe('/users/ana.keys');
    expect(pathTo('resetPassword', { token: '../../admin?x=1#y' })).toBe('/reset-password/..%2F..%2Fadmin%3Fx%3D1%23y');
  });

  it('refuses to build a link with a parameter left out', () => {
    expect(() => pathTo('sessionRevoke')).toThrow('pathTo(sessionRevoke) needs :id');
  });

  it('names each URL once', () => {
    const values = Object.values(URLS);
    expect(new Set(values).size).toBe(values.length);
  });
});
