import fc from 'fast-check';
import { htmlPretendingToBePng, pixelBombPng, solidPng, svgWithScript, truncatedJpeg, zipArchive } from '../helpers/images';
import { hostileString } from './fuzz-values';

/** What an upload field may carry: real pictures, broken ones, and things that are no picture. */
export async function uploadSamples(): Promise<Buffer[]> {
  return [await solidPng(64, 64), await truncatedJpeg(), pixelBombPng(), svgWithScript, htmlPretendingToBePng, zipArchive, Buffer.alloc(0), Buffer.from('GIF89a')];
}

export interface MultipartSpec {
  /** Index into the upload samples, or random bytes. */
  file: number | Uint8Array;
  filename: string;
  contentType: string;
  /** Where the body is cut (a fraction of its length); 1 sends it whole. */
  keep: number;
  /** Whether the Content-Type names the boundary. */
  boundaryInHeader: boolean;
  twoFiles: boolean;
}

export const multipartSpec: fc.Arbitrary<MultipartSpec> = fc.record({
  file: fc.oneof(fc.nat(7), fc.uint8Array({ maxLength: 2000 })),
  filename: fc.oneof(fc.constantFrom('a.png', 'a.jpg', '', '../../etc/passwd', 'a.png\u0000.exe'), hostileString),
  contentType: fc.constantFrom('image/png', 'image/jpeg', 'application/octet-stream', 'text/html', '', 'image/png; charset=x'),
  keep: fc.oneof({ weight: 1, arbitrary: fc.constant(1) }, { weight: 2, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) }),
  boundaryInHeader: fc.oneof({ weight: 8, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  twoFiles: fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});

const headerSafe = (value: string) => value.replace(/[\r\n"]/g, '_');

/** A multipart/form-data body: the text fields, then the file under `fileField`, cut where the spec says. */
export function multipartBody(spec: MultipartSpec, samples: Buffer[], fileField: string, fields: Array<[string, string]>): { contentType: string; body: Buffer } {
  const boundary = '----fuzz' + 'x'.repeat(16);
  const file = typeof spec.file === 'number' ? (samples[spec.file % samples.length] as Buffer) : Buffer.from(spec.file);
  const parts: Buffer[] = fields.map(([name, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${headerSafe(name)}"\r\n\r\n${value}\r\n`));
  for (let i = 0; i < (spec.twoFiles ? 2 : 1); i++) {
    const type = spec.contentType ? `Content-Type: ${spec.contentType}\r\n` : '';
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${headerSafe(fileField)}"; filename="${headerSafe(spec.filename)}"\r\n${type}\r\n`), file, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const whole = Buffer.concat(parts);
  return {
    contentType: spec.boundaryInHeader ? `multipart/form-data; boundary=${boundary}` : 'multipart/form-data',
    body: whole.subarray(0, Math.floor(whole.length * spec.keep)),
  };
}
