import sharp from 'sharp';
import request from 'supertest';
import { describeApp } from '../../helpers/app';
import type { Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import * as images from '../../helpers/images';

const t = describeApp();
let visitor: Visitor;
let userId: string;
beforeAll(async () => {
  const user = await createUser(t);
  userId = user.id;
  visitor = await signedIn(t, user);
});

async function upload(file: Buffer, filename: string, contentType: string, who = visitor) {
  const page = await who.get('/profile/account');
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] as string;
  return who.agent.post('/profile/account/avatar').set('Accept', 'text/html').field('_csrf', token).attach('avatar', file, { filename, contentType });
}

async function storedAvatar() {
  const user = await t.repos.users.findById(userId);
  return user?.avatarHash ? t.repos.avatars.findByHash(user.avatarHash) : undefined;
}

describe('Uploading a profile picture', () => {
  it('stores a square WebP, serves it at a content-addressed URL with long caching, and shows it in the header', async () => {
    const res = await upload(await images.solidPng(640, 400), 'me.png', 'image/png');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/profile/account');
    const page = await visitor.get('/profile/account');
    expect(page.text).toContain('Your picture has been updated.');
    const url = /<img src="(\/avatars\/[0-9a-f]{64}\/96\.webp)"/.exec(page.text)?.[1];
    expect(url).toBeDefined();

    const image = await request(t.app).get(url as string);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/webp');
    expect(image.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const meta = await sharp(image.body as Buffer).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 96, 96]);
    const large = await sharp((await request(t.app).get((url as string).replace('96.webp', '256.webp'))).body as Buffer).metadata();
    expect([large.width, large.height]).toEqual([256, 256]);

    const again = await request(t.app).get(url as string).set('If-None-Match', image.headers.etag as string);
    expect(again.status).toBe(304);
  });

  it('honours EXIF orientation and strips every piece of metadata, GPS included', async () => {
    const res = await upload(await images.sidewaysJpegWithGps(), 'holiday.jpg', 'image/jpeg');
    expect(res.status).toBe(303);
    const stored = await storedAvatar();
    const meta = await sharp(stored?.large).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(stored?.large.toString('latin1')).not.toMatch(/SecretCam|Tracker|GPS/);
    // Stored sideways (red left, blue right) with orientation 6: upright, red is on top.
    const { data, info } = await sharp(stored?.large).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => Array.from(data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3));
    const [topR, , topB] = pixel(128, 20);
    const [bottomR, , bottomB] = pixel(128, 235);
    expect(topR).toBeGreaterThan(180);
    expect(topB).toBeLessThan(80);
    expect(bottomB).toBeGreaterThan(180);
    expect(bottomR).toBeLessThan(80);
  });

  it.each([
    ['a PNG that declares 50000 x 50000 pixels', () => images.pixelBombPng(), 'bomb.png', 'image/png', 'That image has too many pixels (more than 25 million)'],
    ['an SVG with a script', () => images.svgWithScript, 'logo.svg', 'image/svg+xml', 'That file is not an image we accept'],
    ['an SVG calling itself a PNG', () => images.svgWithScript, 'logo.png', 'image/png', 'That file is not an image we accept'],
    ['an HTML page renamed .png', () => images.htmlPretendingToBePng, 'page.png', 'image/png', 'That file is not an image we accept'],
    ['a truncated JPEG', () => images.truncatedJpeg(), 'cut.jpg', 'image/jpeg', 'That image could not be read'],
    ['a ZIP archive', () => images.zipArchive, 'photos.zip', 'application/zip', 'That file is not an image we accept'],
    ['a 6 MB file', () => images.oversizedJpeg(6), 'huge.jpg', 'image/jpeg', 'The file is larger than 5 MB'],
  ])('refuses %s with a message saying what is accepted', async (_name, make, filename, contentType, message) => {
    const before = await storedAvatar();
    const res = await upload(await make(), filename, contentType);
    expect(res.status).toBe(422);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain(message);
    expect((await storedAvatar())?.large.equals(before?.large as Buffer)).toBe(true);
  });

  it('refuses a GIF/JavaScript polyglot or keeps only a clean re-encoded image', async () => {
    const res = await upload(await images.gifJavaScriptPolyglot(), 'funny.gif', 'image/gif');
    expect([303, 422]).toContain(res.status);
    if (res.status === 303) {
      const stored = await storedAvatar();
      expect((await sharp(stored?.large).metadata()).format).toBe('webp');
      expect(stored?.large.toString('latin1')).not.toContain('alert');
    } else {
      expect(res.text).toMatch(/not an image we accept|could not be read/);
    }
  });

  it('asks for a file when none was chosen', async () => {
    const page = await visitor.get('/profile/account');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] as string;
    const res = await visitor.agent.post('/profile/account/avatar').field('_csrf', token);
    expect(res.status).toBe(422);
    expect(res.text).toContain('Choose an image to upload');
  });

  it('needs the form token like any other form', async () => {
    const res = await visitor.agent.post('/profile/account/avatar').field('_csrf', 'forged').attach('avatar', await images.solidPng(), { filename: 'a.png', contentType: 'image/png' });
    expect(res.status).toBe(403);
  });

  it('can be removed, and the initials come back', async () => {
    await upload(await images.solidPng(), 'me.png', 'image/png');
    const page = await visitor.get('/profile/account');
    const url = /<img src="(\/avatars\/[0-9a-f]{64}\/96\.webp)"/.exec(page.text)?.[1] as string;
    const res = await visitor.post('/profile/account/avatar/remove', { _csrf: visitor.csrf() });
    expect(res.status).toBe(303);
    const after = await visitor.get('/profile/account');
    expect(after.text).toContain('your initials are shown instead');
    expect(after.text).not.toContain('<img src="/avatars/');
    expect((await request(t.app).get(url)).status).toBe(404);
  });

  it('answers unknown or malformed avatar URLs with 404', async () => {
    for (const path of [`/avatars/${'0'.repeat(64)}/96.webp`, '/avatars/xyz/96.webp', `/avatars/${'a'.repeat(64)}/512.webp`]) {
      expect((await request(t.app).get(path)).status).toBe(404);
    }
  });
});
