import { providerAssertsMfa } from '../../../src/features/identities/provider-mfa';

describe('Whether a provider asserts multi-factor authentication', () => {
  it.each([
    [['mfa'], null],
    [['pwd', 'otp'], null],
    [['pwd', 'hwk'], null],
    [['pin', 'fpt'], null],
    [['kba', 'sms'], null],
    [['swk', 'face'], null],
    [['pwd', 'mfa'], null],
    [[], 'http://schemas.openid.net/pape/policies/2007/06/multi-factor'],
    [[], 'https://refeds.org/profile/mfa'],
    [['pwd'], 'urn:mace:incommon:iap:aal2'],
    [[], 'AAL3'],
    [[], 'mfa'],
  ])('yes for amr %j with acr %j', (amr, acr) => {
    expect(providerAssertsMfa({ amr, acr })).toBe(true);
  });

  it.each([
    [[], null],
    [['pwd'], null],
    [['pwd', 'pin'], null],
    [['otp'], null],
    [['hwk'], null],
    [['user'], null],
    [['pwd', 'user'], null],
    [['pwd'], '0'],
    [['pwd'], 'urn:mace:incommon:iap:silver'],
    [['pwd'], 'aal1'],
    [[], 'urn:example:mfaless'],
    [[], 'https://refeds.org/profile/sfa'],
  ])('no for amr %j with acr %j', (amr, acr) => {
    expect(providerAssertsMfa({ amr, acr })).toBe(false);
  });
});
