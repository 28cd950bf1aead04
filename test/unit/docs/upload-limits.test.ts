import fs from 'node:fs';
import path from 'node:path';
import { AVATAR_MAX_BYTES, AVATAR_MAX_PIXELS, sniffImage } from '../../../src/core/users/avatar-image';

const root = path.join(__dirname, '..', '..', '..');
const security = fs.readFileSync(path.join(root, 'SECURITY.md'), 'utf8').replace(/\s+/g, ' ');
const en = JSON.parse(fs.readFileSync(path.join(root, 'locales', 'en.json'), 'utf8')) as { profile: { avatar: { errors: Record<string, string> } } };

/** The first bytes of a file of each kind (and of kinds that must be refused). */
const SAMPLES: Record<string, Buffer> = {
  JPEG: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]),
  PNG: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]),
  GIF: Buffer.from('GIF89a\u0001\u0000', 'latin1'),
  WebP: Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 ', 'latin1'),
  AVIF: Buffer.from('\u0000\u0000\u0000\u001cftypavif\u0000\u0000', 'latin1'),
  SVG: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
  HTML: Buffer.from('<!doctype html><p>hi'),
  BMP: Buffer.from('BM\u0000\u0000\u0000\u0000', 'latin1'),
  TIFF: Buffer.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]),
  HEIC: Buffer.from('\u0000\u0000\u0000\u0018ftypheic\u0000\u0000', 'latin1'),
  ZIP: Buffer.from('PK\u0003\u0004\u0000\u0000', 'latin1'),
  PDF: Buffer.from('%PDF-1.7\n'),
};

describe('Upload limits in SECURITY.md', () => {
  it('state the size and pixel limits the code enforces, and the messages say the same numbers', () => {
    const megabytes = AVATAR_MAX_BYTES / 1024 / 1024;
    expect(megabytes).toBe(5);
    expect(security).toContain(`**Avatars**: one file of at most ${megabytes} MB`);
    expect(security).toContain(`more than ${AVATAR_MAX_PIXELS / 1_000_000} megapixels`);
    expect(en.profile.avatar.errors.tooLarge).toContain('{megabytes} MB');
    expect(en.profile.avatar.errors.tooManyPixels).toContain('{megapixels}');
  });

  it('name exactly the formats that are decoded; everything else is refused by its first bytes', () => {
    const documented = /only ([A-Za-z, ]+) and ([A-Za-z]+) are decoded/.exec(security);
    expect(documented).not.toBeNull();
    const listed = [...(documented?.[1] ?? '').split(', '), documented?.[2] ?? ''].sort();
    const decoded = Object.keys(SAMPLES)
      .filter((kind) => sniffImage(SAMPLES[kind] as Buffer) !== undefined)
      .sort();
    expect(listed).toEqual(decoded);
    expect(decoded).toEqual(['AVIF', 'GIF', 'JPEG', 'PNG', 'WebP']);
    expect(security).toContain('SVG, HTML and anything else are refused before any decoder sees them');
  });
});
