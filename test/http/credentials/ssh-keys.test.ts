import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { startTestApp, type TestApp } from '../../helpers/app';
import { csrfTokenIn, type Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';

let t: TestApp;
let dir: string;
beforeAll(async () => {
  t = await startTestApp({}, { mail: true });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-ssh-keys-'));
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const MINUTE = 60_000;
const COMMENT = 'someone@laptop';

const MESSAGES = {
  private: 'This is a private key. Never share it: paste the .pub file instead. Consider this private key exposed now, and replace it with a new key pair.',
  malformed: 'This is not a valid SSH public key. Paste the whole line from your .pub file.',
  unsupported: 'This key type is not accepted. Use Ed25519, ECDSA, a security key (sk-) or RSA with at least 2048 bits.',
  weakRsa: 'RSA keys must have at least 2048 bits. Create a new key, preferably Ed25519.',
  duplicate: 'This key is already in use. Each key can belong to one account only.',
};

// --- Key files, made by Debian's ssh-keygen or, where it needs hardware, by hand ---------

interface KeyFile {
  /** The .pub file. */
  pub: string;
  /** The private key file, for keys that ssh-keygen generated. */
  priv?: string;
  /** The .pub file's line: "type base64 comment". */
  line: string;
  /** "type base64", as an authorized_keys file lists it. */
  publicKey: string;
}

let fileCounter = 0;
const nextName = (stem: string) => path.join(dir, `${stem}-${++fileCounter}`);

function keyFile(pub: string, priv?: string): KeyFile {
  const line = fs.readFileSync(pub, 'utf8').trim();
  const [type, data] = line.split(' ');
  return { pub, priv, line, publicKey: `${type} ${data}` };
}

/** `ssh-keygen -t <type> [-b <bits>] -N '' -q -C 'someone@laptop'`. */
function keygen(type: string, bits?: number, comment = COMMENT): KeyFile {
  const file = nextName(`id_${type}${bits ?? ''}`);
  execFileSync('ssh-keygen', ['-t', type, ...(bits ? ['-b', String(bits)] : []), '-N', '', '-q', '-C', comment, '-f', file], { stdio: 'pipe' });
  return keyFile(`${file}.pub`, file);
}

/** An SSH wire-format string: uint32 big-endian length, then the bytes. */
function sshString(value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** An SSH mpint: big-endian, no leading zero bytes, but one 0x00 when the top bit is set. */
function mpint(value: Buffer): Buffer {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const trimmed = value.subarray(start);
  return sshString((trimmed[0] as number) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

const blobOf = (...fields: Buffer[]) => Buffer.concat(fields).toString('base64');

function writePub(stem: string, type: string, base64: string, comment = COMMENT): KeyFile {
  const pub = `${nextName(stem)}.pub`;
  fs.writeFileSync(pub, `${type} ${base64}${comment ? ` ${comment}` : ''}\n`);
  return keyFile(pub);
}

/** The uncompressed point (0x04, x, y) of a fresh key on a NIST curve. */
function ecPoint(namedCurve: 'prime256v1' | 'secp384r1'): Buffer {
  const jwk = crypto.generateKeyPairSync('ec', { namedCurve }).publicKey.export({ format: 'jwk' });
  return Buffer.concat([Buffer.from([0x04]), Buffer.from(jwk.x as string, 'base64url'), Buffer.from(jwk.y as string, 'base64url')]);
}

const ed25519Raw = () => Buffer.from(crypto.generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x as string, 'base64url');

/** A FIDO security-key Ed25519 public key, as `ssh-keygen -t ed25519-sk` would write it. */
function skEd25519(): KeyFile {
  const type = 'sk-ssh-ed25519@openssh.com';
  return writePub('id_ed25519_sk', type, blobOf(sshString(type), sshString(ed25519Raw()), sshString('ssh:')));
}

/** A FIDO security-key ECDSA P-256 public key, as `ssh-keygen -t ecdsa-sk` would write it. */
function skEcdsa(): KeyFile {
  const type = 'sk-ecdsa-sha2-nistp256@openssh.com';
  return writePub('id_ecdsa_sk', type, blobOf(sshString(type), sshString('nistp256'), sshString(ecPoint('prime256v1')), sshString('ssh:')));
}

/** An RSA public key of any size, built from node's crypto: string("ssh-rsa") + mpint(e) + mpint(n). */
function rsaFromNode(modulusLength: number): KeyFile {
  const jwk = crypto.generateKeyPairSync('rsa', { modulusLength }).publicKey.export({ format: 'jwk' });
  return writePub(`id_rsa${modulusLength}_node`, 'ssh-rsa', blobOf(sshString('ssh-rsa'), mpint(Buffer.from(jwk.e as string, 'base64url')), mpint(Buffer.from(jwk.n as string, 'base64url'))));
}

interface Listing {
  bits: number;
  fingerprint: string;
  comment: string;
  label: string;
}

/** What `ssh-keygen -lf <file>` prints: "<bits> SHA256:<fp> <comment> (<TYPE>)". */
function sshKeygenListing(file: string): Listing {
  const out = execFileSync('ssh-keygen', ['-lf', file], { stdio: 'pipe' }).toString().trim();
  const match = /^(\d+) (SHA256:[A-Za-z0-9+/]+) (.*) \(([A-Z0-9-]+)\)$/.exec(out);
  if (!match) throw new Error(`Unexpected ssh-keygen output: ${out}`);
  return { bits: Number(match[1]), fingerprint: match[2] as string, comment: match[3] as string, label: match[4] as string };
}

// --- The keys tab as a person sees it ----------------------------------------------------

interface ShownKey {
  title: string;
  label: string;
  bits: number;
  fingerprint: string;
  comment: string;
  added: string;
  deleteAction: string;
}

/** The keys listed on /profile/keys, in page order. */
function keysOn(html: string): ShownKey[] {
  return html
    .split('<li class="cred">')
    .slice(1)
    .map((item) => {
      const find = (re: RegExp): RegExpExecArray => {
        const match = re.exec(item);
        if (!match) throw new Error(`${re} not found in ${item}`);
        return match;
      };
      const badge = find(/<span class="badge">([^<]+)<\/span> <span class="muted small">(\d+) bits<\/span>/);
      return {
        title: find(/<h3 class="break">([^<]*)<\/h3>/)[1] as string,
        label: badge[1] as string,
        bits: Number(badge[2]),
        fingerprint: find(/<code class="break" data-fingerprint>([^<]+)<\/code>/)[1] as string,
        comment: find(/<dt>Comment<\/dt><dd class="break">([^<]*)<\/dd>/)[1] as string,
        added: find(/<time datetime="([^"]+)"/)[1] as string,
        deleteAction: find(/action="(\/profile\/keys\/[^"]+\/delete)"/)[1] as string,
      };
    });
}

/** Adds a key through the form, as someone pasting their .pub file does. */
async function addKey(visitor: Visitor, title: string, key: string) {
  return visitor.submit('/profile/keys', { title, key });
}

async function addKeyOk(visitor: Visitor, title: string, key: string): Promise<ShownKey> {
  const res = await addKey(visitor, title, key);
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe('/profile/keys');
  const page = await visitor.get('/profile/keys');
  expect(page.text).toContain(`The SSH key &#34;${title}&#34; was added.`);
  const shown = keysOn(page.text).find((k) => k.title === title);
  if (!shown) throw new Error(`The key "${title}" is not listed`);
  return shown;
}

const authorizedKeys = (username: string) => request(t.app).get(`/users/${username}.keys`);

// --- The stories ---------------------------------------------------------------------

describe('Adding SSH keys of every accepted type', () => {
  const kinds: Array<[string, () => KeyFile, string, number]> = [
    ['an Ed25519 key', () => keygen('ed25519'), 'ED25519', 256],
    ['an ECDSA P-256 key', () => keygen('ecdsa', 256), 'ECDSA', 256],
    ['an ECDSA P-384 key', () => keygen('ecdsa', 384), 'ECDSA', 384],
    ['an ECDSA P-521 key', () => keygen('ecdsa', 521), 'ECDSA', 521],
    ['a 2048-bit RSA key', () => keygen('rsa', 2048), 'RSA', 2048],
    ['a 4096-bit RSA key', () => keygen('rsa', 4096), 'RSA', 4096],
    ['an Ed25519 security key (sk-ssh-ed25519@openssh.com)', skEd25519, 'ED25519-SK', 256],
    ['an ECDSA security key (sk-ecdsa-sha2-nistp256@openssh.com)', skEcdsa, 'ECDSA-SK', 256],
  ];

  it.each(kinds)('%s is shown with the fingerprint, bits and type that ssh-keygen -l prints', async (_name, make, label, bits) => {
    const key = make();
    const expected = sshKeygenListing(key.pub);
    // Our own files are what they claim to be: ssh-keygen reads them as such.
    expect(expected).toEqual({ bits, fingerprint: expect.stringMatching(/^SHA256:[A-Za-z0-9+/]{43}$/), comment: COMMENT, label });
    if (key.priv) expect(sshKeygenListing(key.priv).fingerprint).toBe(expected.fingerprint);

    const visitor = await signedIn(t, await createUser(t));
    const shown = await addKeyOk(visitor, 'Work laptop', `${key.line}\n`);
    expect(shown.fingerprint).toBe(expected.fingerprint);
    expect(shown.bits).toBe(expected.bits);
    expect(shown.label).toBe(expected.label);
    expect(shown.comment).toBe(COMMENT);
    expect(shown.added).toBe(t.clock.now().toISOString());
  });

  it('a key without a comment says so; a hostile comment is shown as text', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const bare = keygen('ed25519', undefined, '');
    expect(bare.line.split(' ')).toHaveLength(2);
    expect((await addKeyOk(visitor, 'No comment here', bare.line)).comment).toBe('No comment');

    const hostile = keygen('ed25519');
    const res = await addKey(visitor, 'Hostile', `${hostile.publicKey} <img src=x onerror=alert(1)>`);
    expect(res.status).toBe(303);
    const page = await visitor.get('/profile/keys');
    expect(page.text).not.toContain('<img src=x');
    expect(keysOn(page.text).find((k) => k.title === 'Hostile')?.comment).toBe('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('needs a recent sign-in; afterwards the title is kept, never the key', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    t.clock.advance(11 * MINUTE);
    const key = keygen('ed25519');
    const late = await addKey(visitor, 'Home desktop', key.line);
    expect(late.status).toBe(303);
    expect(late.headers.location).toBe('/reauth?next=%2Fprofile%2Fkeys');
    expect(await t.services.sshKeys.list(user)).toEqual([]);

    const prompt = await visitor.get('/reauth?next=%2Fprofile%2Fkeys');
    const reauth = await visitor.post('/reauth', { _csrf: csrfTokenIn(prompt.text), password: user.password, next: '/profile/keys' });
    expect(reauth.status).toBe(303);
    expect(reauth.headers.location).toBe('/profile/keys');
    const form = await visitor.get('/profile/keys');
    expect(form.text).toContain('value="Home desktop"');
    expect(form.text).not.toContain(key.publicKey.split(' ')[1]);

    const shown = await addKeyOk(visitor, 'Home desktop', key.line);
    expect(shown.fingerprint).toBe(sshKeygenListing(key.pub).fingerprint);
  });
});

describe('Keys that are refused, with a message beside the field', () => {
  /** Posts the form and expects it back with 422, the message, and nothing stored. */
  async function refused(visitor: Visitor, fields: Record<string, string | string[]>, message: string) {
    const res = await visitor.submit('/profile/keys', fields);
    expect(res.status).toBe(422);
    expect(res.text).toContain(message);
    return res;
  }

  it('an RSA key under 2048 bits: 1024 from ssh-keygen, 2047 built by hand', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const small = keygen('rsa', 1024);
    expect(sshKeygenListing(small.pub)).toMatchObject({ bits: 1024, label: 'RSA' });
    const res = await refused(visitor, { title: 'Old server', key: small.line }, MESSAGES.weakRsa);
    expect(res.text).toContain('aria-invalid="true"');
    expect(res.text).toContain('value="Old server"');

    const almost = rsaFromNode(2047);
    expect(sshKeygenListing(almost.pub)).toMatchObject({ bits: 2047, label: 'RSA' });
    await refused(visitor, { title: 'Almost', key: almost.line }, MESSAGES.weakRsa);
    // The same construction at 2048 bits is fine, so the line above was refused for its size alone.
    const enough = rsaFromNode(2048);
    expect((await addKeyOk(visitor, 'Enough', enough.line)).fingerprint).toBe(sshKeygenListing(enough.pub).fingerprint);
    expect((await t.services.sshKeys.list(user)).map((k) => k.title)).toEqual(['Enough']);
  });

  it('a private key: told to paste the .pub file and that the key is exposed, and it is not echoed back', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const key = keygen('ed25519');
    const privateText = fs.readFileSync(key.priv as string, 'utf8');
    expect(privateText).toContain('-----BEGIN OPENSSH PRIVATE KEY-----');
    const body = privateText.split('\n').filter((l) => l && !l.startsWith('-----'));
    expect(body.length).toBeGreaterThan(0);

    const res = await refused(visitor, { title: 'Oops', key: privateText }, MESSAGES.private);
    expect(res.text).not.toContain('PRIVATE KEY');
    for (const line of body) expect(res.text).not.toContain(line);
    expect(res.text).toContain('value="Oops"');

    // PEM private keys, as older tools write them, are recognised too.
    const pem = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    for (const text of [pem.export({ type: 'pkcs1', format: 'pem' }) as string, pem.export({ type: 'pkcs8', format: 'pem' }) as string]) {
      const again = await refused(visitor, { title: 'Oops', key: text }, MESSAGES.private);
      expect(again.text).not.toContain('PRIVATE KEY');
      expect(again.text).not.toContain(text.split('\n')[1]);
    }
    expect(await t.services.sshKeys.list(user)).toEqual([]);
  });

  it('garbage and broken lines are not keys', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const good = keygen('ed25519');
    const [type, data] = good.publicKey.split(' ') as [string, string];
    const cases = [
      'my key',
      'hello world this is not a key',
      `${type}`,
      `${type} not*base64!`,
      `${type} ${data.slice(0, 40)}`,
      `${type} ${Buffer.concat([Buffer.from(data, 'base64'), Buffer.from('extra')]).toString('base64')}`,
      `${data} ${type}`,
    ];
    for (const key of cases) await refused(visitor, { title: 'Broken', key }, MESSAGES.malformed);
  });

  it('unsupported types: DSA and certificates', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const dsa = keygen('dsa');
    expect(dsa.line.startsWith('ssh-dss ')).toBe(true);
    await refused(visitor, { title: 'Ancient', key: dsa.line }, MESSAGES.unsupported);

    const ca = keygen('ed25519');
    const user = keygen('ed25519');
    execFileSync('ssh-keygen', ['-s', ca.priv as string, '-I', 'someone', '-n', 'someone', '-q', user.pub], { stdio: 'pipe' });
    const cert = keyFile(user.pub.replace(/\.pub$/, '-cert.pub'));
    expect(cert.line.startsWith('ssh-ed25519-cert-v01@openssh.com ')).toBe(true);
    await refused(visitor, { title: 'Certificate', key: cert.line }, MESSAGES.unsupported);
  });

  it('a key whose base64 blob is of another type or curve than the text says', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const ed = keygen('ed25519').publicKey.split(' ')[1] as string;
    const p256 = keygen('ecdsa', 256).publicKey.split(' ')[1] as string;
    const sk = skEd25519().publicKey.split(' ')[1] as string;
    const p384Point = ecPoint('secp384r1');
    const p256Point = ecPoint('prime256v1');
    const ecdsa = (type: string, curve: string, point: Buffer) => writePub('id_ecdsa_bad', type, blobOf(sshString(type), sshString(curve), sshString(point)));
    const mislabelled = [
      `ssh-rsa ${ed} ${COMMENT}`,
      `ssh-ed25519 ${p256} ${COMMENT}`,
      `ssh-ed25519 ${sk} ${COMMENT}`,
      `sk-ssh-ed25519@openssh.com ${ed} ${COMMENT}`,
      `ecdsa-sha2-nistp384 ${p256} ${COMMENT}`,
    ];
    for (const key of mislabelled) await refused(visitor, { title: 'Mislabelled', key }, MESSAGES.malformed);

    // Blobs whose own type field agrees with the text but whose curve does not: ssh-keygen
    // refuses every one of them, and so must the form.
    const inconsistent = [
      ecdsa('ecdsa-sha2-nistp384', 'nistp256', p256Point),
      ecdsa('ecdsa-sha2-nistp384', 'nistp384', p256Point),
      ecdsa('ecdsa-sha2-nistp256', '', p256Point),
      ecdsa('ecdsa-sha2-nistp256', 'nistp', p256Point),
      ecdsa('ecdsa-sha2-nistp256', 'nistp256', Buffer.from([0x04])),
      ecdsa('ecdsa-sha2-nistp256', 'nistp256', p384Point),
    ];
    for (const key of inconsistent) {
      expect(() => sshKeygenListing(key.pub)).toThrow();
      await refused(visitor, { title: 'Inconsistent', key: key.line }, MESSAGES.malformed);
    }
    // The well-formed P-384 key built the same way is accepted: the refusals above are about consistency.
    const fine = ecdsa('ecdsa-sha2-nistp384', 'nistp384', p384Point);
    expect((await addKeyOk(visitor, 'Built by hand', fine.line)).fingerprint).toBe(sshKeygenListing(fine.pub).fingerprint);
  });

  it('a key that is already in use, on another account or on the same one', async () => {
    const owner = await createUser(t);
    const ownerVisitor = await signedIn(t, owner);
    const key = keygen('ed25519');
    await addKeyOk(ownerVisitor, 'Laptop', key.line);

    const other = await createUser(t);
    const otherVisitor = await signedIn(t, other);
    await refused(otherVisitor, { title: 'Mine now', key: key.line }, MESSAGES.duplicate);
    // The comment is not part of the key.
    await refused(otherVisitor, { title: 'Mine now', key: `${key.publicKey} thief@elsewhere` }, MESSAGES.duplicate);
    expect(await t.services.sshKeys.list(other)).toEqual([]);

    await refused(ownerVisitor, { title: 'Laptop again', key: key.line }, MESSAGES.duplicate);
    expect((await t.services.sshKeys.list(owner)).map((k) => k.title)).toEqual(['Laptop']);
  });

  it('missing, overlong or repeated fields', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const key = keygen('ed25519').line;
    const missing = await refused(visitor, {}, 'Enter a title for the key.');
    expect(missing.text).toContain('Paste your public key.');
    await refused(visitor, { title: '   ', key }, 'Enter a title for the key.');
    await refused(visitor, { title: 'Laptop', key: ' \n\t ' }, 'Paste your public key.');
    await refused(visitor, { title: 'x'.repeat(101), key }, 'Must be 100 characters or fewer');
    await refused(visitor, { title: ['a', 'b'], key }, 'Enter this as text');
    await refused(visitor, { title: 'Laptop', key: [key, key] }, 'Enter this as text');
    expect(await t.services.sshKeys.list(user)).toEqual([]);
    // 100 characters is still fine.
    await addKeyOk(visitor, 'x'.repeat(100), key);
  });
});

describe('Deleting a key', () => {
  it('needs a recent sign-in, then deletes the key and says so', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const key = keygen('ed25519');
    const shown = await addKeyOk(visitor, 'Laptop', key.line);

    t.clock.advance(11 * MINUTE);
    const late = await visitor.post(shown.deleteAction, { _csrf: visitor.csrf() });
    expect(late.status).toBe(303);
    expect(late.headers.location).toBe('/reauth?next=%2Fprofile%2Fkeys');
    expect(await t.services.sshKeys.list(user)).toHaveLength(1);

    const fresh = await signedIn(t, user);
    const page = await fresh.get('/profile/keys');
    const res = await fresh.post(shown.deleteAction, { _csrf: csrfTokenIn(page.text) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/profile/keys');
    const after = await fresh.get('/profile/keys');
    expect(after.text).toContain('The SSH key was deleted.');
    expect(after.text).toContain('You have no SSH keys.');
    expect(keysOn(after.text)).toEqual([]);
    expect((await authorizedKeys(user.username)).text).toBe('');

    // The key is free again, for another account too.
    await addKeyOk(await signedIn(t, await createUser(t)), 'Reused', key.line);
  });

  it('an unknown id, a non-UUID id or another account\'s key is not found', async () => {
    const owner = await createUser(t);
    const shown = await addKeyOk(await signedIn(t, owner), 'Owned', keygen('ed25519').line);

    const visitor = await signedIn(t, await createUser(t));
    const page = await visitor.get('/profile/keys');
    const csrf = csrfTokenIn(page.text);
    const unknown = await visitor.post(`/profile/keys/${crypto.randomUUID()}/delete`, { _csrf: csrf });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('There is no such SSH key.');
    expect((await visitor.post('/profile/keys/not-a-key/delete', { _csrf: csrf })).status).toBe(404);
    expect((await visitor.post("/profile/keys/1'%20or%201=1/delete", { _csrf: csrf })).status).toBe(404);
    const others = await visitor.post(shown.deleteAction, { _csrf: csrf });
    expect(others.status).toBe(404);
    expect(others.text).toContain('There is no such SSH key.');
    expect((await t.services.sshKeys.list(owner)).map((k) => k.title)).toEqual(['Owned']);
  });
});

describe('The public authorized_keys file, /users/<username>.keys', () => {
  it('lists each key as "type base64", without comments, in the order added', async () => {
    const tag = crypto.randomBytes(3).toString('hex');
    const user = await createUser(t, { username: `jane.doe${tag}` });
    const visitor = await signedIn(t, user);
    const keys = [keygen('ed25519'), keygen('rsa', 2048), skEcdsa(), keygen('ecdsa', 384)];
    for (const [i, key] of keys.entries()) {
      await addKeyOk(visitor, `Key ${i + 1}`, key.line);
      // People add keys one after the other, not within the same millisecond.
      t.clock.advance(1000);
    }
    const page = await visitor.get('/profile/keys');
    expect(keysOn(page.text).map((k) => k.title)).toEqual(['Key 1', 'Key 2', 'Key 3', 'Key 4']);
    expect(page.text).toContain(`<a href="/users/${user.username}.keys">`);

    const res = await authorizedKeys(user.username);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toBe(keys.map((k) => `${k.publicKey}\n`).join(''));
    expect(res.text).not.toContain(COMMENT);
  });

  it('a key added through the form is served exactly as in its .pub file, minus the comment', async () => {
    const user = await createUser(t);
    const key = keygen('ecdsa', 521);
    await addKeyOk(await signedIn(t, user), 'Only key', key.line);
    const res = await authorizedKeys(user.username);
    expect(res.text).toBe(`${key.publicKey}\n`);
    // ssh-keygen reads the served line as the very same key.
    const served = path.join(dir, `served-${user.username}.pub`);
    fs.writeFileSync(served, res.text);
    expect(sshKeygenListing(served).fingerprint).toBe(sshKeygenListing(key.pub).fingerprint);
  });

  it('is empty for an account without keys, and not found for an unknown username', async () => {
    const user = await createUser(t);
    const empty = await authorizedKeys(user.username);
    expect(empty.status).toBe(200);
    expect(empty.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(empty.text).toBe('');
    expect((await authorizedKeys(`nobody${crypto.randomBytes(4).toString('hex')}`)).status).toBe(404);
  });
});

describe('The security notice', () => {
  it('adding a key mails the account owner', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const key = keygen('ed25519');
    await addKeyOk(visitor, 'Build server', key.line);
    await t.deliverMail();
    const notice = t.mail.to(user.email).find((m) => m.subject === 'An SSH key was added to your Atrium account');
    if (!notice) throw new Error(`No notice among: ${t.mail.to(user.email).map((m) => m.subject).join(', ')}`);
    expect(notice.text).toContain('The SSH key "Build server" was added to your Atrium account');
    // A refused key sends nothing.
    const before = t.mail.to(user.email).length;
    await visitor.submit('/profile/keys', { title: 'Again', key: key.line });
    await t.deliverMail();
    expect(t.mail.to(user.email)).toHaveLength(before);
  });
});
