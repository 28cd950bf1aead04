import { loadConfig } from '../../src/config';
import { createDataCipher } from '../../src/infra/crypto/data-cipher';
import { operatorCliOnOwnDatabase } from '../helpers/operator-cli';

// Each command opens the database anew: a minute or more on a busy machine.
jest.setTimeout(300_000);

const { cli, env, openDatabase } = operatorCliOnOwnDatabase();

/** The value of each `name=value` line of an output: scripts read client_id and client_secret so. */
const linesNamed = (stdout: string, name: string) => [...stdout.matchAll(new RegExp(`^${name}=(.*)$`, 'gm'))].map((m) => m[1] as string);

async function clientRow(clientId: string): Promise<Record<string, unknown> | undefined> {
  const db = openDatabase();
  try {
    return await db('oidc_clients').where({ client_id: clientId }).first();
  } finally {
    await db.destroy();
  }
}

const uris = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as string[];

describe('Operator commands for the applications that sign in here (apps:*) and the signing keys', () => {
  let confidential = '';
  let publicApp = '';

  it('are refused with 78 on a database that is not migrated', async () => {
    for (const args of [['apps:list'], ['apps:create', '--name', 'Wiki', '--redirect-uri', 'https://wiki.example/cb'], ['apps:remove', 'abc'], ['keys:rotate']]) {
      const result = await cli(...args);
      expect({ args, code: result.code, stderr: result.stderr.trim() }).toEqual({ args, code: 78, stderr: 'the database is not migrated: run `npm run cli -- migrate`' });
    }
    expect((await cli('migrate')).code).toBe(0);
  });

  it('apps:create registers a confidential application: client_id= and client_secret= each once on a line of their own, the secret stored encrypted', async () => {
    const res = await cli('apps:create', '--name', 'Team Wiki', '--redirect-uri', 'https://wiki.example/cb', '--redirect-uri', 'http://127.0.0.1:8080/cb', '--post-logout-redirect-uri', 'https://wiki.example/bye');
    expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 0, stderr: '' });
    expect(res.stdout).toMatch(/^client_id=[A-Za-z0-9_-]{16,}$/m);
    expect(res.stdout).toMatch(/^client_secret=[A-Za-z0-9_-]{32,}$/m);
    const [clientId, ...moreIds] = linesNamed(res.stdout, 'client_id');
    const [secret, ...moreSecrets] = linesNamed(res.stdout, 'client_secret');
    expect({ moreIds, moreSecrets }).toEqual({ moreIds: [], moreSecrets: [] });
    expect(res.stdout).toContain('Registered Team Wiki (confidential: client_secret_basic and PKCE).');
    expect(res.stdout).toContain('Issuer: https://accounts.example.com (discovery at /.well-known/openid-configuration).');
    confidential = clientId as string;
    // apps:remove and other command lines take it as an argument: never as an option.
    expect(confidential).toMatch(/^[A-Za-z0-9]/);

    const row = await clientRow(confidential);
    expect(row).toMatchObject({ name: 'Team Wiki', public: false });
    expect(uris(row?.redirect_uris)).toEqual(['https://wiki.example/cb', 'http://127.0.0.1:8080/cb']);
    expect(uris(row?.post_logout_redirect_uris)).toEqual(['https://wiki.example/bye']);
    const ciphertext = row?.secret_ciphertext as string;
    expect(ciphertext).not.toContain(secret);
    expect(ciphertext).not.toContain(Buffer.from(secret as string).toString('base64'));
    // Encrypted with DATA_KEY for this purpose alone: the provider decrypts it to check what an application presents.
    expect(createDataCipher(loadConfig(env()).dataKey, 'oidc-client-secrets').decrypt(ciphertext)).toBe(secret);
    expect(() => createDataCipher(loadConfig(env()).dataKey, 'oidc-signing-keys').decrypt(ciphertext)).toThrow();

    // Like every operator command that changes something, it is in the console's audit log as the operator.
    const db = openDatabase();
    const audit = await db('admin_audit').where({ action: 'application_registered' }).select('actor_id', 'actor_username', 'data');
    await db.destroy();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: null });
    expect(JSON.stringify(audit[0].data)).toContain(confidential);
  });

  it('apps:create --public registers an application without a secret, which may use its own scheme', async () => {
    const res = await cli('apps:create', '--name', 'Phone App', '--redirect-uri', 'com.example.app:/cb', '--public');
    expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 0, stderr: '' });
    expect(res.stdout).toMatch(/^client_id=[A-Za-z0-9_-]{16,}$/m);
    expect(res.stdout).not.toMatch(/client_secret/);
    expect(res.stdout).toContain('Registered Phone App (public: PKCE without a secret).');
    publicApp = linesNamed(res.stdout, 'client_id')[0] as string;
    const row = await clientRow(publicApp);
    expect(row).toMatchObject({ name: 'Phone App', public: true, secret_ciphertext: null });
    expect(uris(row?.redirect_uris)).toEqual(['com.example.app:/cb']);
  });

  it('apps:create refuses bad values with 65 and the message for each field, registering nothing', async () => {
    // Each rule of the schema is tested in test/unit/provider/redirect-uris.test.ts; here, that the command reports them.
    const cases: [string[], string][] = [
      [['--redirect-uri', 'https://x.example/cb'], 'name: Give the application a name.'],
      // The name starts a line of the output: a line break could forge the client_id= line scripts read.
      [['--name', 'Wiki\nclient_id=forged', '--redirect-uri', 'https://x.example/cb'], 'name: Must not contain line breaks or control characters'],
      [['--name', 'Wiki'], 'redirect_uris: Give at least one redirect URI.'],
      [
        ['--name', 'Wiki', '--redirect-uri', 'https://x.example/cb', '--redirect-uri', 'javascript:alert(1)'],
        'redirect_uris: A redirect URI must use https (http only on this machine\'s loopback, such as http://localhost/), or a native app\'s own scheme (public applications only), without a fragment.',
      ],
      [['--name', 'Wiki', '--redirect-uri', 'https://x.example/cb', '--post-logout-redirect-uri', 'http://example.com/'], 'post_logout_redirect_uris: A redirect URI must use https'],
    ];
    for (const [args, message] of cases) {
      const res = await cli('apps:create', ...args);
      expect({ args, code: res.code, stdout: res.stdout, stderr: res.stderr.startsWith(message) }).toEqual({ args, code: 65, stdout: '', stderr: true });
    }
    const db = openDatabase();
    const count = await db('oidc_clients').count({ n: '*' }).first();
    await db.destroy();
    expect(Number(count?.n)).toBe(2);
  });

  it('apps:create refuses an unknown option, an option without its value or an argument with 64 and its usage', async () => {
    const cases: [string[], string][] = [
      [['--name', 'Wiki', '--redirect-uri', 'https://x.example/cb', '--secret', 's3cret'], 'unknown option --secret'],
      [['--name', 'Wiki', '--redirect-uri'], '--redirect-uri needs a value'],
      [['--name', 'Wiki', '--redirect-uri', 'https://x.example/cb', 'extra'], 'unexpected argument "extra"'],
    ];
    for (const [args, message] of cases) {
      const res = await cli('apps:create', ...args);
      expect({ args, code: res.code, first: res.stderr.split('\n')[0] }).toEqual({ args, code: 64, first: `apps:create: ${message}` });
      expect(res.stderr).toContain('Usage: npm run cli -- apps:create --name N --redirect-uri U [--redirect-uri U2] [--post-logout-redirect-uri U] [--public]');
    }
  });

  it('apps:list shows each application with its kind and redirect URIs', async () => {
    const res = await cli('apps:list');
    expect(res.code).toBe(0);
    expect(res.stdout.split('\n')).toEqual([`${confidential}  Team Wiki  confidential  https://wiki.example/cb http://127.0.0.1:8080/cb`, `${publicApp}  Phone App  public  com.example.app:/cb`]);
  });

  it('apps:remove removes one application; an unknown client_id is refused with 1', async () => {
    const res = await cli('apps:remove', confidential);
    expect({ code: res.code, stdout: res.stdout }).toEqual({ code: 0, stdout: `Removed ${confidential} and everything issued to it.` });
    expect(await clientRow(confidential)).toBeUndefined();
    expect((await cli('apps:list')).stdout).toBe(`${publicApp}  Phone App  public  com.example.app:/cb`);

    const again = await cli('apps:remove', confidential);
    expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 1, stderr: `No application has the client_id ${confidential}.` });
    const missing = await cli('apps:remove');
    expect({ code: missing.code, first: missing.stderr.split('\n')[0] }).toEqual({ code: 64, first: 'apps:remove: give the client_id' });

    expect((await cli('apps:remove', publicApp)).code).toBe(0);
    expect((await cli('apps:list')).stdout).toBe('No applications are registered.');
  });

  it('keys:rotate prints the new key, which is stored with the time it starts signing; the key before it retires then', async () => {
    const first = await cli('keys:rotate');
    expect(first.code).toBe(0);
    const kid = /^New signing key ([A-Za-z0-9_-]{16}): published now, signs from (\S+) \(/m.exec(first.stdout);
    expect(kid).not.toBeNull();
    const second = await cli('keys:rotate');
    expect(second.stdout).toContain('The key before it retires then and stays published until the ID tokens it signed have expired.');
    const secondKid = /^New signing key ([A-Za-z0-9_-]{16}):/m.exec(second.stdout)?.[1];

    const db = openDatabase();
    const keys = await db('oidc_signing_keys').orderBy('activates_at').select('kid', 'alg', 'activates_at', 'retires_at');
    await db.destroy();
    // The first key (a rotation before any start makes it, to sign until the new one starts), then the two rotations.
    expect(keys.map((k: { kid: string; alg: string }) => [k.kid, k.alg])).toEqual([
      [expect.any(String), 'RS256'],
      [kid?.[1], 'RS256'],
      [secondKid, 'RS256'],
    ]);
    expect(new Date(keys[1].activates_at).toISOString()).toBe(kid?.[2]);
    // Each retires when the next starts signing.
    expect(new Date(keys[0].retires_at).getTime()).toBe(new Date(keys[1].activates_at).getTime());
    expect(new Date(keys[1].retires_at).getTime()).toBe(new Date(keys[2].activates_at).getTime());
    expect(keys[2].retires_at).toBeNull();
  });
});
