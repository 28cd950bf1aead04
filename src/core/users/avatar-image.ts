import crypto from 'node:crypto';
import sharp from 'sharp';
import { ValidationError } from '../../infra/errors';

export const AVATAR_MAX_BYTES = 5 * 1024 * 1024;
export const AVATAR_MAX_PIXELS = 25_000_000;
/**
 * Decoding costs memory by what the pixels decode to (width x height x channels x bytes
 * per sample), so the 25 megapixels are those of 8-bit RGB; more channels or 16-bit
 * samples allow proportionally fewer. AV1 (AVIF) costs far more CPU per pixel than the
 * other decoders. Measured worst cases (sharp 0.35, one core, images of one colour that
 * compress to almost nothing) at these caps: 16-bit RGBA PNG 0.3 s, GIF 0.5 s, AVIF 0.5 s,
 * JPEG and WebP under 0.1 s; a 4999 x 4999 16-bit RGBA PNG (200 MB decoded) took 0.8 s.
 */
export const AVATAR_MAX_DECODED_BYTES = AVATAR_MAX_PIXELS * 3;
export const AVATAR_MAX_AVIF_PIXELS = 4_000_000;
export const AVATAR_SIZE = 256;
export const AVATAR_SMALL_SIZE = 96;

export interface ProcessedAvatar {
  large: Buffer;
  small: Buffer;
  /** SHA-256 of the stored image: the URL it is served at. */
  hash: string;
}

type Kind = 'jpeg' | 'png' | 'gif' | 'webp' | 'avif';

/**
 * What a file is, judged by its first bytes and never by its name or declared type.
 * Anything but these five raster formats (SVG, HTML, archives, ...) is refused here,
 * before any decoder sees it.
 */
export function sniffImage(bytes: Buffer): Kind | undefined {
  const ascii = (start: number, end: number) => bytes.subarray(start, end).toString('latin1');
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(4, 8) === 'ftyp' && ['avif', 'avis'].includes(ascii(8, 12))) return 'avif';
  return undefined;
}

const refuse = (key: string, maxPixels = AVATAR_MAX_PIXELS) => ValidationError.field('avatar', key, { megabytes: AVATAR_MAX_BYTES / 1024 / 1024, megapixels: Math.floor(maxPixels / 1_000_000) });

const BYTES_PER_SAMPLE: Record<string, number> = { uchar: 1, char: 1, ushort: 2, short: 2, uint: 4, int: 4, float: 4, complex: 8, double: 8, dpcomplex: 16 };

/** The most pixels an image of this kind and sample format may have (see AVATAR_MAX_DECODED_BYTES). */
export function pixelLimitOf(kind: Kind, meta: Pick<sharp.Metadata, 'channels' | 'depth'>): number {
  const bytesPerPixel = (meta.channels ?? 4) * (BYTES_PER_SAMPLE[meta.depth ?? ''] ?? 2);
  return Math.min(AVATAR_MAX_PIXELS, Math.floor(AVATAR_MAX_DECODED_BYTES / bytesPerPixel), kind === 'avif' ? AVATAR_MAX_AVIF_PIXELS : Infinity);
}

/**
 * Decodes with a pixel limit (decompression bombs are refused from the header, before
 * decoding), follows EXIF orientation, takes the first frame of an animation, crops the
 * centre square and re-encodes as WebP without any metadata (no GPS, no camera data).
 */
export async function processAvatar(input: Buffer): Promise<ProcessedAvatar> {
  const kind = sniffImage(input);
  if (!kind) throw refuse('profile.avatar.errors.type');
  let maxPixels = AVATAR_MAX_PIXELS;
  try {
    // Reading the header decodes nothing; the limit for decoding follows from it.
    const meta = await sharp(input, { limitInputPixels: false, failOn: 'truncated', animated: false }).metadata();
    const format = meta.format === 'heif' ? (meta.compression === 'av1' ? 'avif' : 'heif') : meta.format;
    if (format !== kind && !(kind === 'jpeg' && format === 'jpeg')) throw refuse('profile.avatar.errors.type');
    if (!meta.width || !meta.height) throw refuse('profile.avatar.errors.unreadable');
    maxPixels = pixelLimitOf(kind, meta);
    if (meta.width * meta.height > maxPixels) throw refuse('profile.avatar.errors.tooManyPixels', maxPixels);
    const options: sharp.SharpOptions = { limitInputPixels: maxPixels, failOn: 'truncated', animated: false };
    const large = await sharp(input, options)
      .rotate()
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'cover', position: 'centre' })
      .webp({ quality: 82 })
      .toBuffer();
    const small = await sharp(large).resize(AVATAR_SMALL_SIZE, AVATAR_SMALL_SIZE).webp({ quality: 80 }).toBuffer();
    return { large, small, hash: crypto.createHash('sha256').update(large).digest('hex') };
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    if (err instanceof Error && /pixel limit/i.test(err.message)) throw refuse('profile.avatar.errors.tooManyPixels', maxPixels);
    throw refuse('profile.avatar.errors.unreadable');
  }
}
