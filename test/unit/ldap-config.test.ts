import { ConfigError, loadConfig } from '../../src/config';

const DIRECTORY = { LDAP_URL: 'ldaps://dc.example.com:636', LDAP_BIND_DN: 'cn=atrium,ou=services,dc=example,dc=com', LDAP_BIND_PASSWORD: 'service-secret', LDAP_BASE_DN: 'ou=people,dc=example,dc=com' };
const PRODUCTION = { NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40), DATA_KEY: 'k'.repeat(40), MAIL_TRANSPORT: 'file' };

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return '';
}

describe('The LDAP directory settings', () => {
  it('are off without LDAP_URL, and take the documented defaults with it', () => {
    expect(loadConfig({}).directory).toBeUndefined();
    expect(loadConfig(DIRECTORY).directory).toMatchObject({
      userFilter: '(|(uid={identifier})(mail={identifier}))',
      attributes: { username: 'uid', firstName: 'givenName', lastName: 'sn', email: 'mail', avatar: 'jpegPhoto' },
      startTls: false,
      syncMs: 3_600_000,
      allowLocalTwoStep: true,
      timeoutMs: 5000,
    });
  });

  it('name what is missing or wrong, one line per variable', () => {
    expect(refusal({ LDAP_BASE_DN: 'dc=example,dc=com' })).toBe('LDAP_URL: required when LDAP_BASE_DN is set');
    expect(refusal({ LDAP_URL: 'ldap://127.0.0.1:389' }).split('\n').map((line) => line.split(':')[0])).toEqual(['LDAP_BIND_DN', 'LDAP_BIND_PASSWORD', 'LDAP_BASE_DN']);
    expect(refusal({ ...DIRECTORY, LDAP_URL: 'http://dc.example.com' })).toMatch(/^LDAP_URL: must be ldap:\/\/host:port or ldaps:\/\/host:port/);
    expect(refusal({ ...DIRECTORY, LDAP_URL: 'ldap://dc.example.com/dc=example?uid' })).toMatch(/^LDAP_URL: must be/);
    expect(refusal({ ...DIRECTORY, LDAP_USER_FILTER: '(uid=ada)' })).toMatch(/^LDAP_USER_FILTER: must contain \{identifier\}/);
    expect(refusal({ ...DIRECTORY, LDAP_USER_FILTER: '(uid={identifier}' })).toMatch(/^LDAP_USER_FILTER: is not an LDAP filter/);
    expect(refusal({ ...DIRECTORY, LDAP_ATTR_USERNAME: 'uid)(x' })).toMatch(/^LDAP_ATTR_USERNAME: must be an attribute name/);
    expect(refusal({ ...DIRECTORY, LDAP_STARTTLS: 'true' })).toBe('LDAP_STARTTLS: not with ldaps:// (the connection is already encrypted)');
    expect(refusal({ ...DIRECTORY, LDAP_STARTTLS: 'maybe' })).toMatch(/^LDAP_STARTTLS: /);
    expect(refusal({ ...DIRECTORY, LDAP_SYNC_MINUTES: '0' })).toMatch(/^LDAP_SYNC_MINUTES: must be a whole number written in decimal digits, from 1 to 10080/);
    expect(refusal({ ...DIRECTORY, LDAP_CA_FILE: '/nonexistent/ca.pem' })).toMatch(/^LDAP_CA_FILE: cannot read \/nonexistent\/ca.pem/);
    expect(refusal({ ...DIRECTORY, LDAP_PASSWORD_CHANGE_URL: 'javascript:alert(1)' })).toBe('LDAP_PASSWORD_CHANGE_URL: must be an http:// or https:// URL');
  });

  it('refuse, in production, a plain ldap:// connection that would carry passwords over the network', () => {
    expect(refusal({ ...PRODUCTION, ...DIRECTORY, LDAP_URL: 'ldap://dc.example.com:389' })).toBe('LDAP_URL: ldap:// sends passwords unencrypted; use ldaps:// or set LDAP_STARTTLS=true');
    expect(refusal({ ...PRODUCTION, ...DIRECTORY, LDAP_URL: 'ldap://dc.example.com:389', LDAP_STARTTLS: 'true' })).toBe('');
    expect(refusal({ ...PRODUCTION, ...DIRECTORY, LDAP_URL: 'ldap://127.0.0.1:389' })).toBe('');
    expect(refusal({ ...PRODUCTION, ...DIRECTORY })).toBe('');
  });
});
