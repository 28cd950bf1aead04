import { describeApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { COMMENT, MINUTE, addKey, addKeyOk, keygen, keysOn, openKeyDir, removeKeyDir, skEcdsa, skEd25519, sshKeygenListing, type KeyFile } from './ssh-key-test-helpers';

const t = describeApp({}, { mail: true });
beforeAll(() => openKeyDir());
afterAll(() => removeKeyDir());

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
