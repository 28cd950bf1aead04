import crypto from 'node:crypto';
import sharp from 'sharp';
import { AVATAR_MAX_BYTES } from '../../../src/core/users/avatar-image';
import { describeApp } from '../../helpers/app';
import { csrfTokenIn, type Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import * as images from '../../helpers/images';

/** The antivirus industry's harmless test file: every scanner reports it as malware. */
const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

const t = describeApp();
let visitor: Visitor;
let userId: string;
beforeAll(async () => {
  const user = await createUser(t);
  userId = user.id;
  visitor = await signedIn(t, user);
});

async function upload(file: Buffer) {
  const page = await visitor.get('/profile/account');
  return visitor.agent.post('/profile/account/avatar').set('Accept', 'text/html').field('_csrf', csrfTokenIn(page.text)).attach('avatar', file, { filename: 'me.png', contentType: 'image/png' });
}

async function storedAvatar() {
  const user = await t.repos.users.findById(userId);
  return user?.avatarHash ? t.repos.avatars.findByHash(user.avatarHash) : undefined;
}

/** A real PNG padded with bytes after its end to exactly `size` bytes (decoders stop at the end marker). */
async function pngOfSize(size: number): Promise<Buffer> {
  const png = await images.solidPng(64, 64, { r: 200, g: 40, b: 90 });
  return Buffer.concat([png, crypto.randomBytes(size - png.length)]);
}

describe('The size limit on profile pictures', () => {
  it('takes a file of exactly 5 MB and refuses one byte more, with the limit in the message', async () => {
    expect(AVATAR_MAX_BYTES).toBe(5 * 1024 * 1024);
    const accepted = await upload(await pngOfSize(AVATAR_MAX_BYTES));
    expect(accepted.status).toBe(303);
    const stored = await storedAvatar();
    expect(stored).toBeDefined();

    const refused = await upload(await pngOfSize(AVATAR_MAX_BYTES + 1));
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('The file is larger than 5 MB');
    expect((await storedAvatar())?.large.equals(stored?.large as Buffer)).toBe(true);
  });
});

describe('What is served from an upload', () => {
  it('is never the uploaded bytes: content a virus scanner would flag is gone from the re-encoded picture', async () => {
    const png = await images.solidPng(300, 300, { r: 10, g: 160, b: 70 });
    const infected = Buffer.concat([png, Buffer.from(EICAR, 'latin1')]);
    const res = await upload(infected);
    expect(res.status).toBe(303);
    const stored = await storedAvatar();
    for (const bytes of [stored?.large, stored?.small]) {
      expect((await sharp(bytes).metadata()).format).toBe('webp');
      expect(bytes?.toString('latin1')).not.toContain('EICAR');
      expect(bytes?.includes(png)).toBe(false);
    }
    const user = await t.repos.users.findById(userId);
    const served = await visitor.agent.get(`/avatars/${user?.avatarHash}/256.webp`).buffer(true);
    expect(served.status).toBe(200);
    expect(Buffer.isBuffer(served.body)).toBe(true);
    expect((served.body as Buffer).equals(stored?.large as Buffer)).toBe(true);
  });
});
