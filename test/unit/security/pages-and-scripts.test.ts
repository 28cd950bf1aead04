import fs from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..', '..');

function filesUnder(dir: string, pattern: RegExp): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(relative, pattern) : pattern.test(entry.name) ? [relative] : [];
  });
}

const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const views = filesUnder('views', /\.ejs$/);
const scripts = filesUnder('public/js', /\.js$/);

describe('What the pages and their scripts use', () => {
  it('no plugin content: no object, embed or applet element, and no Flash, Silverlight or Java anywhere', () => {
    expect(views.length).toBeGreaterThan(40);
    const offenders = [...views, ...scripts].filter((file) => /<(object|embed|applet)\b|\.swf\b|x-shockwave-flash|silverlight|x-java-applet/i.test(read(file)));
    expect(offenders).toEqual([]);
  });

  it('no script listens to postMessage, so no message from another window is ever acted on', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    const listeners = scripts.filter((file) => /addEventListener\(\s*['"]message['"]|\bonmessage\b|\.postMessage\(/.test(read(file)));
    expect(listeners).toEqual([]);
  });

  it('no script or page stands in the way of pasting or of password managers', () => {
    const blockers = [...views, ...scripts].filter((file) => /addEventListener\(\s*['"](paste|copy|cut|drop)['"]|\bon(paste|copy|cut|drop)\s*=/i.test(read(file)));
    expect(blockers).toEqual([]);
    const passwordFieldsOff = views.filter((file) => /type: 'password'[^}]*autocomplete: 'off'|type="password"[^>]*autocomplete="off"/.test(read(file)));
    expect(passwordFieldsOff).toEqual([]);
  });

  it('no form asks for a password hint or a secret question, and no table could keep one', () => {
    const fieldNames = views.flatMap((file) => [...read(file).matchAll(/name: '([a-z_]+)'|name="([a-z_]+)"/g)].map((m) => (m[1] ?? m[2]) as string));
    expect(fieldNames).toEqual(expect.arrayContaining(['password', 'identifier', 'email']));
    expect(fieldNames.filter((name) => /hint|question|answer|reminder|mother|pet|birth/i.test(name))).toEqual([]);
    const migrations = filesUnder('migrations', /\.ts$/);
    expect(migrations.length).toBeGreaterThan(3);
    expect(migrations.filter((file) => /hint|question|answer|reminder/i.test(read(file)))).toEqual([]);
  });
});
