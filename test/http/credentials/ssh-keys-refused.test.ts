import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { describeApp } from '../../helpers/app';
import type { Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { COMMENT, addKeyOk, blobOf, ecPoint, keyFile, keygen, openKeyDir, removeKeyDir, rsaFromNode, skEd25519, sshKeygenListing, sshString, writePub } from './ssh-key-test-helpers';

const t = describeApp({}, { mail: true });
beforeAll(() => openKeyDir());
afterAll(() => removeKeyDir());

const MESSAGES = {
  private: 'This is a private key. Never share it: paste the .pub file instead. Consider this private key exposed now, and replace it with a new key pair.',
  malformed: 'This is not a valid SSH public key. Paste the whole line from your .pub file.',
  unsupported: 'This key type is not accepted. Use Ed25519, ECDSA, a security key (sk-) or RSA with at least 2048 bits.',
  weakRsa: 'RSA keys must have at least 2048 bits. Create a new key, preferably Ed25519.',
  duplicate: 'This key is already in use. Each key can belong to one account only.',
};

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
