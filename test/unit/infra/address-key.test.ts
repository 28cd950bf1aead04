import { addressKey } from '../../../src/infra/rate-limit';

describe('The rate-limit key of a client address', () => {
  it('is the address itself for IPv4', () => {
    expect(addressKey('203.0.113.5')).toBe('203.0.113.5');
    expect(addressKey('203.0.113.6')).not.toBe(addressKey('203.0.113.5'));
  });

  it('is the IPv4 address for IPv4-mapped IPv6, however it is written', () => {
    expect(addressKey('::ffff:203.0.113.5')).toBe('203.0.113.5');
    expect(addressKey('::ffff:cb00:7105')).toBe('203.0.113.5');
    expect(addressKey('0:0:0:0:0:FFFF:203.0.113.5')).toBe('203.0.113.5');
  });

  it('is the /64 network for IPv6, so one host cannot pick a fresh address for every attempt', () => {
    const key = addressKey('2001:db8:1:2::1');
    for (const same of ['2001:db8:1:2::2', '2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:0DB8:0001:0002:abcd:0:0:9', '2001:db8:1:2::1%eth0']) {
      expect({ same, key: addressKey(same) }).toEqual({ same, key });
    }
    for (const other of ['2001:db8:1:3::1', '2001:db8:1::1', '2001:db9:1:2::1']) {
      expect({ other, differs: addressKey(other) !== key }).toEqual({ other, differs: true });
    }
    expect(key).toBe('2001:db8:1:2::/64');
  });

  it('is what it was given when that is not an address at all', () => {
    expect(addressKey('')).toBe('');
    expect(addressKey('not an address')).toBe('not an address');
  });
});
