import fs from 'node:fs';
import path from 'node:path';
import { LATIN_TERMS, cyrillicLetters, toCyrillic } from '../../../scripts/sr-cyrillic';

const catalogue = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'locales', 'sr-Cyrl.json'), 'utf8');

describe('Serbian Latin to Cyrillic', () => {
  it.each([
    ['Ljubav i njega, džep', 'Љубав и њега, џеп'],
    ['LJUBAV NJIVA DŽEM', 'ЉУБАВ ЊИВА ЏЕМ'],
    ['Đak šije čarape ćutke', 'Ђак шије чарапе ћутке'],
    ['konjunkcija', 'конјункција'],
  ])('%s', (latin, cyrillic) => expect(toCyrillic(latin)).toBe(cyrillic));

  it('leaves placeholders, addresses and acronyms alone', () => {
    expect(toCyrillic('Zdravo {name}, pišite na ime@example.com o SSH ključu')).toBe('Здраво {name}, пишите на ime@example.com о SSH кључу');
  });

  it('keeps names, file names, paths and key types in Latin script', () => {
    expect(toCyrillic('Aegis, Google Authenticator ili 1Password; JavaScript; Preuzmi (.txt)')).toBe('Aegis, Google Authenticator или 1Password; JavaScript; Преузми (.txt)');
    expect(toCyrillic('na primer ~/.ssh/id_ed25519.pub: ssh-ed25519, ecdsa-sha2-…, sk-… ili Ed25519')).toBe('на пример ~/.ssh/id_ed25519.pub: ssh-ed25519, ecdsa-sha2-…, sk-… или Ed25519');
    expect(toCyrillic('Otisak (SHA256)')).toBe('Отисак (SHA256)');
    expect(toCyrillic('ključ/lozinka i e-pošta')).toBe('кључ/лозинка и е-пошта');
  });

  it.each([...LATIN_TERMS, 'ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2', '(sk-)', '.txt', '.pub', 'id_ed25519'])('the Cyrillic catalogue never spells %s in Cyrillic letters', (term) => {
    expect(catalogue).not.toContain(cyrillicLetters(term));
  });
});
