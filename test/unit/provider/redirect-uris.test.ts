import { isAllowedRedirectUri, newApplicationSchema } from '../../../src/features/provider/provider.schemas';

type Case = [uri: string, confidential: boolean, publicClient: boolean];

/** Where an application may receive its codes: [redirect URI, allowed for a confidential client, for a public one]. */
const CASES: Case[] = [
  // https anywhere, with a port, a path and a query.
  ['https://app.example/callback', true, true],
  ['https://app.example:8443/auth/cb?tenant=1', true, true],
  ['https://localhost/cb', true, true],
  // http only on this machine's loopback (RFC 8252 7.3), any port.
  ['http://localhost/cb', true, true],
  ['http://localhost:8080/cb', true, true],
  ['http://127.0.0.1:53682/cb', true, true],
  ['http://[::1]:8080/cb', true, true],
  // http anywhere else, even a name that starts like a loopback one.
  ['http://example.com/cb', false, false],
  ['http://localhost.example.com/cb', false, false],
  ['http://127.0.0.1.nip.io/cb', false, false],
  ['http://10.0.0.5/cb', false, false],
  // A fragment, even an empty one: the code would travel in it.
  ['https://x/cb#frag', false, false],
  ['https://x/cb#', false, false],
  // User information: the address shown would not be where the code goes.
  ['https://user@app.example/cb', false, false],
  ['https://user:secret@app.example/cb', false, false],
  ['https://:secret@app.example/cb', false, false],
  // A native app's own scheme (reverse domain name): public clients only.
  ['com.example.app:/cb', false, true],
  ['com.example.app://oauth/cb', false, true],
  // Schemes that run or read something, or are no app's: never.
  ['javascript:alert(1)', false, false],
  ['data:text/html,<script>alert(1)</script>', false, false],
  ['file:///etc/passwd', false, false],
  ['myapp:/cb', false, false],
  ['ftp://app.example/cb', false, false],
  // Not an absolute URL.
  ['/callback', false, false],
  ['callback', false, false],
  ['//app.example/cb', false, false],
  ['', false, false],
  ['https://', false, false],
  // Overlong.
  [`https://app.example/${'a'.repeat(2000)}`, false, false],
];

describe('Where an application may receive its codes (isAllowedRedirectUri)', () => {
  it.each(CASES)('%s: confidential %s, public %s', (uri, confidential, publicClient) => {
    expect({ uri, confidential: isAllowedRedirectUri(uri, false), public: isAllowedRedirectUri(uri, true) }).toEqual({ uri, confidential, public: publicClient });
  });

  it('takes an address up to 2000 characters long', () => {
    const longest = `https://app.example/${'a'.repeat(2000 - 'https://app.example/'.length)}`;
    expect(longest).toHaveLength(2000);
    expect(isAllowedRedirectUri(longest, false)).toBe(true);
    expect(isAllowedRedirectUri(`${longest}a`, false)).toBe(false);
  });
});

describe('A new application (newApplicationSchema)', () => {
  const valid = { name: 'Team Wiki', redirect_uris: ['https://wiki.example/cb'], post_logout_redirect_uris: [], public: false };
  const problems = (input: Record<string, unknown>) => {
    const result = newApplicationSchema.safeParse(input);
    return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it('trims the name and fills the defaults', () => {
    expect(newApplicationSchema.parse({ name: '  Team Wiki ', redirect_uris: ['https://wiki.example/cb'] })).toEqual({ ...valid, post_logout_redirect_uris: [], public: false });
  });

  it('refuses a missing, blank, overlong or multi-line name', () => {
    expect(problems({ ...valid, name: undefined })).toEqual(['name: provider.apps.errors.nameRequired']);
    expect(problems({ ...valid, name: '   ' })).toEqual(['name: provider.apps.errors.nameRequired']);
    expect(problems({ ...valid, name: 'x'.repeat(80) })).toEqual([]);
    expect(problems({ ...valid, name: 'x'.repeat(81) })).toEqual(['name: provider.apps.errors.nameTooLong']);
    // apps:create prints the name on a line of its own: a line break could forge a client_id= line.
    expect(problems({ ...valid, name: 'Wiki\nclient_id=forged' })).toEqual(['name: validation.controlCharacters']);
  });

  it('needs one to twenty redirect URIs, each allowed, and checks the post-logout ones the same way', () => {
    expect(problems({ ...valid, redirect_uris: [] })).toEqual(['redirect_uris: provider.apps.errors.redirectRequired']);
    expect(problems({ ...valid, redirect_uris: undefined })).toEqual(['redirect_uris: provider.apps.errors.redirectRequired']);
    expect(problems({ ...valid, redirect_uris: Array.from({ length: 21 }, (_, i) => `https://wiki.example/${i}`) })).toEqual(['redirect_uris: provider.apps.errors.tooManyRedirects']);
    expect(problems({ ...valid, redirect_uris: ['https://wiki.example/cb', 'http://wiki.example/cb'] })).toEqual(['redirect_uris: provider.apps.errors.redirectInvalid']);
    expect(problems({ ...valid, post_logout_redirect_uris: ['javascript:alert(1)'] })).toEqual(['post_logout_redirect_uris: provider.apps.errors.redirectInvalid']);
  });

  it("allows a native app's own scheme to a public application only, and then not beside https on loopback", () => {
    const native = { ...valid, redirect_uris: ['com.example.app:/cb', 'http://127.0.0.1/cb'] };
    expect(problems(native)).toEqual(['redirect_uris: provider.apps.errors.redirectInvalid']);
    expect(problems({ ...native, public: true })).toEqual([]);
    // The library takes such an application as native, and refuses https on loopback for one.
    expect(problems({ ...native, public: true, post_logout_redirect_uris: ['https://localhost/bye'] })).toEqual(['redirect_uris: provider.apps.errors.nativeHttpsLoopback']);
    expect(problems({ ...valid, public: true, redirect_uris: ['https://localhost/cb'] })).toEqual([]);
  });
});
