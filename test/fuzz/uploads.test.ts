import sharp from 'sharp';
import request from 'supertest';
import { createCatalogues } from '../../src/infra/i18n';
import { AVATAR_MAX_BYTES } from '../../src/core/users/avatar-image';
import { describeApp } from '../helpers/app';
import { csrfTokenIn, type Visitor } from '../helpers/browser-agent';
import { createUser, signedIn } from '../helpers/factories';
import { hostileFiles, SURVIVORS, type HostileFile } from './hostile-images';

const t = describeApp();
const catalogues = createCatalogues();

/** CPU one upload may take, all threads of this process together (the app runs in it), on a slow and busy machine. */
const CPU_SECONDS_PER_UPLOAD = 2;

async function uploadFrom(visitor: Visitor, file: HostileFile) {
  const page = await visitor.get('/profile/account');
  const before = process.cpuUsage();
  const res = await visitor.agent.post('/profile/account/avatar').set('Accept', 'text/html').field('_csrf', csrfTokenIn(page.text)).attach('avatar', file.bytes, { filename: file.filename, contentType: file.contentType });
  const used = process.cpuUsage(before);
  return { res, cpuSeconds: (used.user + used.system) / 1e6 };
}

function messageFor(file: HostileFile, language: 'en' | 'de'): string {
  return catalogues.translator(language)(`profile.avatar.errors.${file.outcome}`, { megapixels: file.megapixels ?? 25, megabytes: AVATAR_MAX_BYTES / 1024 / 1024 });
}

/** What is wrong with a stored picture as it is served: anything but a clean WebP. */
async function servedProblems(url: string): Promise<string[]> {
  const served = await request(t.app).get(url).buffer(true);
  const bytes = served.body as Buffer;
  const problems: string[] = [];
  if (served.status !== 200) return [`${url}: ${served.status}`];
  if (served.headers['content-type'] !== 'image/webp') problems.push(`${url}: served as ${served.headers['content-type']}`);
  if (served.headers['x-content-type-options'] !== 'nosniff') problems.push(`${url}: no nosniff`);
  const meta = await sharp(bytes).metadata();
  if (meta.format !== 'webp' || (meta.pages ?? 1) !== 1) problems.push(`${url}: ${meta.format} of ${meta.pages} pages`);
  if (meta.exif || meta.xmp || meta.icc || meta.iptc || meta.comments?.length) problems.push(`${url}: metadata kept (${Object.keys(meta).filter((k) => ['exif', 'xmp', 'icc', 'iptc', 'comments'].includes(k))})`);
  if (meta.space !== 'srgb' || meta.depth !== 'uchar') problems.push(`${url}: ${meta.space} ${meta.depth}`);
  const text = bytes.toString('latin1');
  for (const survivor of SURVIVORS) if (text.includes(survivor)) problems.push(`${url}: "${survivor}" survived`);
  return problems;
}

describe('Hostile profile pictures', () => {
  it('are each refused with a translated message or stored as a clean WebP, never a 500, each within bounded CPU', async () => {
    const files = await hostileFiles();
    const results: Array<{ name: string; status: number; outcome: string; cpuSeconds: number }> = [];
    const problems: string[] = [];
    for (const [index, file] of files.entries()) {
      // A fresh person for each file: the upload limit counts per account. Every other one reads German.
      const language = index % 2 === 0 ? 'en' : 'de';
      const user = await createUser(t, { language });
      const visitor = await signedIn(t, user);
      const { res, cpuSeconds } = await uploadFrom(visitor, file);
      results.push({ name: file.name, status: res.status, outcome: file.outcome, cpuSeconds: Number(cpuSeconds.toFixed(3)) });
      if (cpuSeconds > CPU_SECONDS_PER_UPLOAD) problems.push(`${file.name}: ${cpuSeconds.toFixed(2)} s of CPU`);
      const avatarHash = (await t.repos.users.findById(user.id))?.avatarHash;
      if (file.outcome === 'cleaned') {
        if (res.status !== 303 || !avatarHash) {
          problems.push(`${file.name}: ${res.status}, not stored: ${/class="field__error"[^>]*>([^<]*)/.exec(res.text)?.[1] ?? ''}`);
          continue;
        }
        for (const size of [256, 96]) problems.push(...(await servedProblems(`/avatars/${avatarHash}/${size}.webp`)).map((p) => `${file.name}: ${p}`));
      } else {
        if (res.status !== 422) problems.push(`${file.name}: ${res.status}, expected a refusal`);
        if (!res.text.includes(messageFor(file, language))) problems.push(`${file.name}: no "${messageFor(file, language)}"`);
        if (avatarHash) problems.push(`${file.name}: stored although refused`);
      }
    }
    console.log(`CPU per hostile upload (s):\n${results.map((r) => `${r.cpuSeconds.toFixed(3).padStart(7)}  ${r.status}  ${r.name}`).join('\n')}`);
    expect(problems).toEqual([]);
  });

  it('through the API: a refusal is a 422 with the field message in JSON, a cleaned picture a 200', async () => {
    const files = await hostileFiles();
    const user = await createUser(t);
    const owner = await t.repos.users.findById(user.id);
    const { secret } = await t.services.apiTokens.create(owner as NonNullable<typeof owner>, { name: 'avatar script', scope: 'write', expires: '30' }, { ip: '127.0.0.1', userAgent: 'test', locale: 'en' });
    for (const name of ['a 30000 x 30000 one-colour PNG of 110 kB (decompression bomb)', 'a JPEG with a script in its comment segment', 'an HTML page named .gif', 'a truncated GIF']) {
      const file = files.find((f) => f.name === name) as HostileFile;
      const res = await request(t.app).put('/api/v1/users/me/avatar').set('Authorization', `Bearer ${secret}`).set('Content-Type', file.contentType).send(file.bytes);
      expect({ name, status: res.status, type: res.type }).toEqual({ name, status: file.outcome === 'cleaned' ? 200 : 422, type: 'application/json' });
      if (file.outcome !== 'cleaned') expect(res.body.error.fields).toEqual({ avatar: messageFor(file, 'en') });
    }
  });
});
