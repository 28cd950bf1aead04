import sharp from 'sharp';
import * as images from '../helpers/images';

/**
 * Files people (or their attackers) upload as a profile picture, made on the spot with
 * sharp and byte surgery: broken, mislabelled, enormous, animated, in odd colour spaces,
 * heavy with metadata, and polyglots that are images and HTML or JavaScript at once.
 */

/** What the upload must end in: a clean stored picture, or a refusal with this message key. */
export type Outcome = 'cleaned' | 'type' | 'unreadable' | 'tooManyPixels' | 'tooLarge';

export interface HostileFile {
  name: string;
  bytes: Buffer;
  filename: string;
  contentType: string;
  outcome: Outcome;
  /** Megapixels named in a tooManyPixels message. */
  megapixels?: number;
}

const SCRIPT = '<script>alert(xssmark90)</script>';
const HTML_PAGE = `<!doctype html><html><body>${SCRIPT}<img src=x onerror=alert(xssmark91)></body></html>`;

const solid = (width: number, height: number, r = 30) => sharp({ create: { width, height, channels: 3, background: { r, g: 120, b: 220 } } });

/** A JPEG with a comment (COM) segment right after its start marker. */
function withJpegComment(jpeg: Buffer, text: string): Buffer {
  const body = Buffer.from(text, 'latin1');
  const header = Buffer.from([0xff, 0xfe, 0, 0]);
  header.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), header, body, jpeg.subarray(2)]);
}

/** A GIF with a comment extension after its global colour table. */
function withGifComment(gif: Buffer, text: string): Buffer {
  const flags = gif[10] as number;
  const tableEnd = 13 + (flags & 0x80 ? 3 * 2 ** ((flags & 0x07) + 1) : 0);
  const blocks: Buffer[] = [];
  const body = Buffer.from(text, 'latin1');
  for (let at = 0; at < body.length; at += 255) {
    const piece = body.subarray(at, at + 255);
    blocks.push(Buffer.from([piece.length]), piece);
  }
  return Buffer.concat([gif.subarray(0, tableEnd), Buffer.from([0x21, 0xfe]), ...blocks, Buffer.from([0]), gif.subarray(tableEnd)]);
}

/** A JPEG whose frame header (SOF0) claims other dimensions than its data has. */
function withJpegSize(jpeg: Buffer, width: number, height: number): Buffer {
  const copy = Buffer.from(jpeg);
  const sof = copy.indexOf(Buffer.from([0xff, 0xc0]));
  copy.writeUInt16BE(height, sof + 5);
  copy.writeUInt16BE(width, sof + 7);
  return copy;
}

/** A GIF whose logical screen claims other dimensions than its one frame has. */
function withGifScreen(gif: Buffer, width: number, height: number): Buffer {
  const copy = Buffer.from(gif);
  copy.writeUInt16LE(width, 6);
  copy.writeUInt16LE(height, 8);
  return copy;
}

/** A GIF whose screen and first frame both claim these dimensions (the data stays small). */
function withGifFrameSize(gif: Buffer, width: number, height: number): Buffer {
  const copy = withGifScreen(gif, width, height);
  const flags = copy[10] as number;
  let at = 13 + (flags & 0x80 ? 3 * 2 ** ((flags & 0x07) + 1) : 0);
  // Skip extensions (0x21 label, then sub-blocks up to an empty one) to the image descriptor (0x2c).
  while (copy[at] === 0x21) {
    at += 2;
    while ((copy[at] as number) > 0) at += (copy[at] as number) + 1;
    at += 1;
  }
  if (copy[at] !== 0x2c) throw new Error('No image descriptor found');
  copy.writeUInt16LE(width, at + 5);
  copy.writeUInt16LE(height, at + 7);
  return copy;
}

/** A GIF whose one frame is repeated `count` times: every frame decodes to the full picture. */
function withRepeatedFrame(gif: Buffer, count: number): Buffer {
  const flags = gif[10] as number;
  const tableEnd = 13 + (flags & 0x80 ? 3 * 2 ** ((flags & 0x07) + 1) : 0);
  const frame = gif.subarray(tableEnd, gif.length - 1);
  const loop = Buffer.concat([Buffer.from([0x21, 0xff, 0x0b]), Buffer.from('NETSCAPE2.0', 'latin1'), Buffer.from([3, 1, 0, 0, 0])]);
  return Buffer.concat([gif.subarray(0, tableEnd), loop, ...Array.from({ length: count }, () => frame), Buffer.from([0x3b])]);
}

const cut = (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length * 0.6));

/** Four frames of different colours, animated. */
async function animated(format: 'gif' | 'webp'): Promise<Buffer> {
  const frames = await Promise.all([0, 80, 160, 240].map((r) => solid(120, 80, r).png().toBuffer()));
  const joined = sharp(frames, { join: { animated: true } });
  return format === 'gif' ? joined.gif().toBuffer() : joined.webp().toBuffer();
}

export async function hostileFiles(): Promise<HostileFile[]> {
  const png = await solid(300, 200).png().toBuffer();
  const jpeg = await solid(300, 200).jpeg().toBuffer();
  const gif = await solid(300, 200).gif().toBuffer();
  const webp = await solid(300, 200).webp().toBuffer();
  const heavy = await sharp(await images.sidewaysJpegWithGps())
    .keepExif()
    .withIccProfile('p3')
    .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description>xssmark92 home address</rdf:Description></rdf:RDF></x:xmpmeta>')
    .jpeg()
    .toBuffer();
  const file = (name: string, bytes: Buffer, filename: string, contentType: string, outcome: Outcome, megapixels?: number): HostileFile => ({ name, bytes, filename, contentType, outcome, megapixels });
  return [
    file('a truncated PNG', cut(png), 'cut.png', 'image/png', 'unreadable'),
    file('a truncated JPEG', await images.truncatedJpeg(), 'cut.jpg', 'image/jpeg', 'unreadable'),
    file('a truncated GIF', cut(gif), 'cut.gif', 'image/gif', 'unreadable'),
    file('a truncated WebP', cut(webp), 'cut.webp', 'image/webp', 'unreadable'),
    file('PNG bytes sent as a JPEG named .jpg', png, 'photo.jpg', 'image/jpeg', 'cleaned'),
    file('a text file named .png', Buffer.from('just some notes, not a picture\n'), 'notes.png', 'image/png', 'type'),
    file('an HTML page named .gif', Buffer.from(HTML_PAGE), 'cat.gif', 'image/gif', 'type'),
    file('a 30000 x 30000 one-colour PNG of 110 kB (decompression bomb)', images.bilevelPng(30_000, 30_000), 'bomb.png', 'image/png', 'tooManyPixels', 25),
    file('the largest one-colour PNG allowed, 5000 x 5000', images.bilevelPng(5000, 5000), 'big.png', 'image/png', 'cleaned'),
    file('a JPEG whose header claims 65500 x 65500 pixels', withJpegSize(jpeg, 65_500, 65_500), 'huge.jpg', 'image/jpeg', 'tooManyPixels', 25),
    // The GIF decoder sizes the picture by its frames, so a screen alone is only a number.
    file('a GIF whose screen claims 65535 x 65535 pixels', withGifScreen(gif, 65_535, 65_535), 'screen.gif', 'image/gif', 'cleaned'),
    file('a GIF whose frame claims 65535 x 65535 pixels', withGifFrameSize(gif, 65_535, 65_535), 'huge.gif', 'image/gif', 'tooManyPixels', 18),
    file('a 16-bit RGBA PNG at its limit, 3000 x 3000 (72 MB decoded)', images.sixteenBitPng(3000, 3000), 'deep-big.png', 'image/png', 'cleaned'),
    file('an animated GIF', await animated('gif'), 'wave.gif', 'image/gif', 'cleaned'),
    file('an animated WebP', await animated('webp'), 'wave.webp', 'image/webp', 'cleaned'),
    file('a GIF of 400 full-size 1000 x 1000 frames', withRepeatedFrame(await solid(1000, 1000).gif().toBuffer(), 400), 'frames.gif', 'image/gif', 'cleaned'),
    file('a CMYK JPEG', await solid(300, 200).toColourspace('cmyk').jpeg().toBuffer(), 'print.jpg', 'image/jpeg', 'cleaned'),
    file('a 16-bit PNG', await solid(300, 200).toColourspace('rgb16').png().toBuffer(), 'deep.png', 'image/png', 'cleaned'),
    file('a JPEG heavy with EXIF (GPS), a long comment, an ICC profile and XMP', withJpegComment(heavy, `xssmark93 ${'long comment '.repeat(4000)}`), 'heavy.jpg', 'image/jpeg', 'cleaned'),
    file('a PNG whose zTXt chunk inflates to 1 GB', images.withPngChunk(png, 'zTXt', Buffer.concat([Buffer.from('Comment\0\0', 'latin1'), images.zlibZeros(1024 ** 3)])), 'text-bomb.png', 'image/png', 'cleaned'),
    file('a JPEG with a script in its comment segment', withJpegComment(jpeg, HTML_PAGE), 'polyglot.jpg', 'image/jpeg', 'cleaned'),
    file('a GIF with a script in its comment extension', withGifComment(gif, HTML_PAGE), 'polyglot.gif', 'image/gif', 'cleaned'),
    file('a PNG with HTML in a tEXt chunk', images.withPngChunk(png, 'tEXt', Buffer.from(`Comment\0${HTML_PAGE}`, 'latin1')), 'polyglot.png', 'image/png', 'cleaned'),
    file('a JPEG followed by an HTML page', Buffer.concat([jpeg, Buffer.from(HTML_PAGE)]), 'gifar.jpg', 'image/jpeg', 'cleaned'),
    file('a GIF that is also JavaScript', await images.gifJavaScriptPolyglot(), 'funny.gif', 'image/gif', 'cleaned'),
    file('an SVG with a script', images.svgWithScript, 'logo.svg', 'image/svg+xml', 'type'),
  ];
}

/** Byte strings that must never survive into a stored picture. */
export const SURVIVORS = ['<script', 'xssmark', 'alert(', 'SecretCam', 'GPS', 'long comment', 'adobe:ns:meta'];
