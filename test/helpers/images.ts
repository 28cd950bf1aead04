import zlib from 'node:zlib';
import sharp from 'sharp';

/** Test images made on the spot: real encoders for the good ones, hand-built bytes for the hostile ones. */

export async function solidPng(width = 320, height = 200, color = { r: 30, g: 120, b: 220 }): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } }).png().toBuffer();
}

/**
 * Stored sideways (red left, blue right, 200 x 100) with EXIF orientation 6, which means
 * "turn 90 degrees clockwise to view": upright it is red on top, blue below. Also carries
 * a 60 kB EXIF block and GPS coordinates.
 */
export async function sidewaysJpegWithGps(): Promise<Buffer> {
  const square = (r: number, b: number) => sharp({ create: { width: 100, height: 100, channels: 3, background: { r, g: 0, b } } }).png().toBuffer();
  return sharp({ create: { width: 200, height: 100, channels: 3, background: { r: 0, g: 0, b: 0 } } })
    .composite([
      { input: await square(255, 0), left: 0, top: 0 },
      { input: await square(0, 255), left: 100, top: 0 },
    ])
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { ImageDescription: 'x'.repeat(60_000), Make: 'SecretCam', Model: 'Tracker 9000' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '44/1 48/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '20/1 28/1 0/1' },
    })
    .toBuffer();
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A small PNG whose header claims 50000 x 50000 pixels: a decompression bomb in waiting. */
export function pixelBombPng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(50_000, 0);
  ihdr.writeUInt32BE(50_000, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // truecolour
  const rows = zlib.deflateSync(Buffer.alloc(1024 * 64));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', rows), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * A zlib stream of `length` zero bytes, built from one compressed piece repeated: each
 * piece ends in a full flush, so it stands alone and copies can follow each other.
 */
function deflatedZeros(length: number): Buffer {
  const PIECE = 1 << 20;
  const flushed = (size: number) => zlib.deflateRawSync(Buffer.alloc(size), { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
  const whole = flushed(PIECE);
  const pieces: Buffer[] = Array.from({ length: Math.floor(length / PIECE) }, () => whole);
  if (length % PIECE > 0) pieces.push(flushed(length % PIECE));
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE((((length % 65521) << 16) | 1) >>> 0);
  return Buffer.concat([Buffer.from([0x78, 0xda]), ...pieces, zlib.deflateRawSync(Buffer.alloc(0)), adler]);
}

/**
 * A PNG of 16-bit RGBA samples that are all zero: it compresses to almost nothing (about
 * 200 kB at 4999 x 4999) but decodes to width x height x 8 bytes.
 */
export function sixteenBitPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(16, 8); // bit depth
  ihdr.writeUInt8(6, 9); // truecolour with alpha
  const rows = deflatedZeros((1 + width * 8) * height);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', rows), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * A PNG of one bit per pixel, all black: 30000 x 30000 decodes to 900 million pixels and
 * compresses to about 110 kB. Its header alone says it is too large.
 */
export function bilevelPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(1, 8); // bit depth
  ihdr.writeUInt8(0, 9); // greyscale
  const rows = deflatedZeros((1 + Math.ceil(width / 8)) * height);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', rows), chunk('IEND', Buffer.alloc(0))]);
}

/** Adds a chunk (tEXt, zTXt, iCCP, ...) just before a PNG's IEND, where any decoder reads past it. */
export function withPngChunk(png: Buffer, type: string, data: Buffer): Buffer {
  const iend = png.length - 12;
  return Buffer.concat([png.subarray(0, iend), chunk(type, data), png.subarray(iend)]);
}

/** A zlib stream of `length` zero bytes, a few kilobytes per megabyte (for chunks that inflate). */
export const zlibZeros = (length: number): Buffer => deflatedZeros(length);

/** A plain AVIF of one colour; cheap to encode, but AV1 decoding costs far more per pixel than PNG or JPEG. */
export async function solidAvif(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 30, g: 120, b: 220 } } }).avif({ effort: 0 }).toBuffer();
}

export async function truncatedJpeg(): Promise<Buffer> {
  const full = await sharp({ create: { width: 400, height: 400, channels: 3, background: { r: 200, g: 50, b: 50 } } })
    .composite([{ input: Buffer.from('<svg width="400" height="400"><circle cx="200" cy="200" r="150" fill="green"/></svg>') }])
    .jpeg({ quality: 95 })
    .toBuffer();
  return full.subarray(0, Math.floor(full.length / 2));
}

export const svgWithScript = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script><rect width="10" height="10"/></svg>');

export const htmlPretendingToBePng = Buffer.from('<!doctype html><html><body><script>fetch("/profile")</script></body></html>');

export const zipArchive = Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(200, 0x41)]);

/** A file that is both a GIF and a JavaScript program (GIF89a/*...*\/=alert(1)). */
export async function gifJavaScriptPolyglot(): Promise<Buffer> {
  const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 0, g: 200, b: 0 } } }).gif().toBuffer();
  // Width bytes become "/*" and the trailer carries the script; many decoders still read the image.
  const polyglot = Buffer.from(gif);
  polyglot.writeUInt16LE(0x2a2f, 6);
  return Buffer.concat([polyglot, Buffer.from('*/=alert(document.domain);', 'latin1')]);
}

/** Random bytes behind a JPEG signature, `megabytes` long. */
export function oversizedJpeg(megabytes: number): Buffer {
  const data = Buffer.alloc(megabytes * 1024 * 1024, 7);
  data[0] = 0xff;
  data[1] = 0xd8;
  data[2] = 0xff;
  return data;
}
