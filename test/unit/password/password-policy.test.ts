import { createPasswordPolicy } from '../../../src/features/password/password-policy';

const policy = createPasswordPolicy({
  minLength: 10,
  maxLength: 256,
  productName: 'Atrium',
  breached: { has: (p) => p.toLowerCase() === 'iloveyou123', size: 1 },
});
const jane = { username: 'jdoe', email: 'jane.doe@example.com', firstName: 'Jane', lastName: 'Doe' };

describe('Password policy', () => {
  it.each([
    ['violet tractor umbrella 71', undefined],
    ['correct horse battery staple', undefined],
    ['Ђурђевдан у Београду 2024', undefined],
    ['short', 'password.errors.tooShort'],
    ['x'.repeat(257), 'password.errors.tooLong'],
    ['ILoveYou123', 'password.errors.breached'],
    ['JaneDoe2024!', 'password.errors.context'],
    ['jdoe-atrium-99', 'password.errors.context'],
    ['J4n3.D0e.adm1n', 'password.errors.context'],
    ['password-admin', 'password.errors.context'],
    ['mnbvcxylkjh', 'password.zxcvbn.warnings.straightRow'],
  ])('%s -> %s', (password, key) => {
    expect(policy.check(password, jane)?.key).toBe(key);
  });

  it('says how long a password must be', () => {
    expect(policy.check('short', jane)).toEqual({ key: 'password.errors.tooShort', params: { min: 10 } });
  });

  it('accepts long passphrases up to the maximum (their strength is judged by their start)', () => {
    expect(policy.check(`violet tractor umbrella 71 ${'x9$'.repeat(76)}`, jane)).toBeUndefined();
  });
});
