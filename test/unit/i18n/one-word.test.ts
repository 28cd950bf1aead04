import fs from 'node:fs';
import path from 'node:path';

const english = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'locales', 'en.json'), 'utf8');

describe('The English catalogue', () => {
  it('says "sign in" and "sign out" everywhere, never "log in" or "log out"', () => {
    expect(english.match(/\blog ?(?:in|out)\b/gi) ?? []).toEqual([]);
  });
});
