import { AllowListError, allows, parseAllowList } from '../../../src/features/credentials/ip-allow-list';

describe('Token IP allow-lists', () => {
  it('normalize what people type: spaces, commas, new lines, upper case, host bits, duplicates', () => {
    expect(parseAllowList('  ')).toBeNull();
    expect(parseAllowList('10.1.2.3/8, 2001:DB8:0:0:0:0:0:1\n192.168.0.1;192.168.0.1 ::ffff:203.0.113.5 198.51.100.7/32')).toEqual([
      '10.0.0.0/8',
      '2001:db8::1',
      '192.168.0.1',
      '203.0.113.5',
      '198.51.100.7',
    ]);
  });

  it('refuse anything that is not an address or range, naming the entry', () => {
    for (const bad of ['300.1.1.1', '10.0.0.0/33', '::1/129', '10.0.0.1/8/2', 'localhost', '10.0.0.1/-1', '010.0.0.1', '1.2.3', '<img src=x>', '10.0.0.0/ 8x']) {
      expect(() => parseAllowList(`127.0.0.1, ${bad}`)).toThrow(AllowListError);
    }
    expect(() => parseAllowList('127.0.0.1 nope')).toThrow(expect.objectContaining({ entry: 'nope' }));
    expect(() => parseAllowList(Array.from({ length: 51 }, (_, i) => `10.0.0.${i}`).join(' '))).toThrow(AllowListError);
  });

  it('match client addresses by family and prefix; no list means any address', () => {
    const list = parseAllowList('127.0.0.0/8 2001:db8::/32 192.0.2.10');
    expect(allows(null, '203.0.113.1')).toBe(true);
    expect(allows(list, '127.0.0.1')).toBe(true);
    expect(allows(list, '::ffff:127.0.0.1')).toBe(true);
    expect(allows(list, '2001:db8:ffff::1')).toBe(true);
    expect(allows(list, '192.0.2.10')).toBe(true);
    expect(allows(list, '192.0.2.11')).toBe(false);
    expect(allows(list, '2001:db9::1')).toBe(false);
    expect(allows(list, '::1')).toBe(false);
    expect(allows(list, '')).toBe(false);
  });
});
