import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Visitor } from '../../helpers/browser-agent';

/**
 * What the SSH key stories share: key files made by Debian's ssh-keygen or by hand, in a
 * temporary directory of the test file's own, and the keys tab as a person sees it.
 */

export const MINUTE = 60_000;
export const COMMENT = 'someone@laptop';

let dir: string | undefined;

/** Creates the test file's directory for key files (call in beforeAll); returns its path. */
export function openKeyDir(): string {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-ssh-keys-'));
  return dir;
}

/** Removes the directory and every key file in it (call in afterAll). */
export function removeKeyDir(): void {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
}

// --- Key files, made by Debian's ssh-keygen or, where it needs hardware, by hand ---------

export interface KeyFile {
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
const nextName = (stem: string) => {
  if (!dir) throw new Error('openKeyDir() first, in beforeAll');
  return path.join(dir, `${stem}-${++fileCounter}`);
};

export function keyFile(pub: string, priv?: string): KeyFile {
  const line = fs.readFileSync(pub, 'utf8').trim();
  const [type, data] = line.split(' ');
  return { pub, priv, line, publicKey: `${type} ${data}` };
}

/** `ssh-keygen -t <type> [-b <bits>] -N '' -q -C 'someone@laptop'`. */
export function keygen(type: string, bits?: number, comment = COMMENT): KeyFile {
  const file = nextName(`id_${type}${bits ?? ''}`);
  execFileSync('ssh-keygen', ['-t', type, ...(bits ? ['-b', String(bits)] : []), '-N', '', '-q', '-C', comment, '-f', file], { stdio: 'pipe' });
  return keyFile(`${file}.pub`, file);
}

/** An SSH wire-format string: uint32 big-endian length, then the bytes. */
export function sshString(value: Buffer | string): Buffer {
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

export const blobOf = (...fields: Buffer[]) => Buffer.concat(fields).toString('base64');

export function writePub(stem: string, type: string, base64: string, comment = COMMENT): KeyFile {
  const pub = `${nextName(stem)}.pub`;
  fs.writeFileSync(pub, `${type} ${base64}${comment ? ` ${comment}` : ''}\n`);
  return keyFile(pub);
}

/** The uncompressed point (0x04, x, y) of a fresh key on a NIST curve. */
export function ecPoint(namedCurve: 'prime256v1' | 'secp384r1'): Buffer {
  const jwk = crypto.generateKeyPairSync('ec', { namedCurve }).publicKey.export({ format: 'jwk' });
  return Buffer.concat([Buffer.from([0x04]), Buffer.from(jwk.x as string, 'base64url'), Buffer.from(jwk.y as string, 'base64url')]);
}

const ed25519Raw = () => Buffer.from(crypto.generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x as string, 'base64url');

/** A FIDO security-key Ed25519 public key, as `ssh-keygen -t ed25519-sk` would write it. */
export function skEd25519(): KeyFile {
  const type = 'sk-ssh-ed25519@openssh.com';
  return writePub('id_ed25519_sk', type, blobOf(sshString(type), sshString(ed25519Raw()), sshString('ssh:')));
}

/** A FIDO security-key ECDSA P-256 public key, as `ssh-keygen -t ecdsa-sk` would write it. */
export function skEcdsa(): KeyFile {
  const type = 'sk-ecdsa-sha2-nistp256@openssh.com';
  return writePub('id_ecdsa_sk', type, blobOf(sshString(type), sshString('nistp256'), sshString(ecPoint('prime256v1')), sshString('ssh:')));
}

/** An RSA public key of any size, built from node's crypto: string("ssh-rsa") + mpint(e) + mpint(n). */
export function rsaFromNode(modulusLength: number): KeyFile {
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
export function sshKeygenListing(file: string): Listing {
  const out = execFileSync('ssh-keygen', ['-lf', file], { stdio: 'pipe' }).toString().trim();
  const match = /^(\d+) (SHA256:[A-Za-z0-9+/]+) (.*) \(([A-Z0-9-]+)\)$/.exec(out);
  if (!match) throw new Error(`Unexpected ssh-keygen output: ${out}`);
  return { bits: Number(match[1]), fingerprint: match[2] as string, comment: match[3] as string, label: match[4] as string };
}

// --- The keys tab as a person sees it ----------------------------------------------------

export interface ShownKey {
  title: string;
  label: string;
  bits: number;
  fingerprint: string;
  comment: string;
  added: string;
  deleteAction: string;
}

/** The keys listed on /profile/keys, in page order. */
export function keysOn(html: string): ShownKey[] {
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
export async function addKey(visitor: Visitor, title: string, key: string) {
  return visitor.submit('/profile/keys', { title, key });
}

export async function addKeyOk(visitor: Visitor, title: string, key: string): Promise<ShownKey> {
  const res = await addKey(visitor, title, key);
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe('/profile/keys');
  const page = await visitor.get('/profile/keys');
  expect(page.text).toContain(`The SSH key &#34;${title}&#34; was added.`);
  const shown = keysOn(page.text).find((k) => k.title === title);
  if (!shown) throw new Error(`The key "${title}" is not listed`);
  return shown;
}
