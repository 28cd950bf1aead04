import fs from 'node:fs';
import path from 'node:path';
import { transliterateCatalogue } from './sr-cyrillic';

/** Writes locales/sr-Cyrl.json from locales/sr.json (npm run locales:sr-cyrl). */
const dir = path.join(__dirname, '..', 'locales');
const latin = JSON.parse(fs.readFileSync(path.join(dir, 'sr.json'), 'utf8')) as unknown;
fs.writeFileSync(path.join(dir, 'sr-Cyrl.json'), `${JSON.stringify(transliterateCatalogue(latin), null, 2)}\n`);
console.log('locales/sr-Cyrl.json written');
