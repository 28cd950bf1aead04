/**
 * Serbian Latin -> Cyrillic. The mapping is one to one except for the digraphs lj, nj
 * and dž, so the Cyrillic catalogue is produced from the Latin one rather than kept by
 * hand. Placeholders, addresses, acronyms and the few words listed below stay as written.
 */

const DIGRAPHS: Record<string, string> = {
  Lj: 'Љ', LJ: 'Љ', lj: 'љ', Nj: 'Њ', NJ: 'Њ', nj: 'њ', Dž: 'Џ', DŽ: 'Џ', dž: 'џ',
};

const LETTERS: Record<string, string> = {
  A: 'А', B: 'Б', V: 'В', G: 'Г', D: 'Д', Đ: 'Ђ', E: 'Е', Ž: 'Ж', Z: 'З', I: 'И', J: 'Ј', K: 'К', L: 'Л', M: 'М',
  N: 'Н', O: 'О', P: 'П', R: 'Р', S: 'С', T: 'Т', Ć: 'Ћ', U: 'У', F: 'Ф', H: 'Х', C: 'Ц', Č: 'Ч', Š: 'Ш',
  a: 'а', b: 'б', v: 'в', g: 'г', d: 'д', đ: 'ђ', e: 'е', ž: 'ж', z: 'з', i: 'и', j: 'ј', k: 'к', l: 'л', m: 'м',
  n: 'н', o: 'о', p: 'п', r: 'р', s: 'с', t: 'т', ć: 'ћ', u: 'у', f: 'ф', h: 'х', c: 'ц', č: 'ч', š: 'ш',
};

/** Words whose "nj"/"dž" spans two morphemes, or that are names and stay in Latin script. */
const WORD_EXCEPTIONS: Record<string, string> = {
  konjunkcija: 'конјункција',
  injekcija: 'инјекција',
};

/**
 * Names that are written in Latin script in Serbian Cyrillic text too: products, brands and
 * technical terms. The test for the Cyrillic catalogue checks that none of them appears
 * transliterated.
 */
export const LATIN_TERMS = ['Google Authenticator', '1Password', 'Aegis', 'JavaScript', 'Ed25519', 'ECDSA', 'OpenSSH', 'Chromium', 'Atrium', 'SHA256', 'GeoLite2', 'OpenID Connect', 'PKCE', 'client_secret_basic', 'client_id'];

/** Kept as written, each a regular expression: the terms above, then code as people type it. */
const PROTECTED_PATTERNS = [
  ...LATIN_TERMS.map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
  // Paths and file names (`~/.ssh/id_ed25519.pub`, `.txt`), key types and prefixes (`ssh-ed25519`, `ecdsa-sha2-…`, `sk-…`).
  String.raw`(?<![\p{L}\d])[~.]?\/[\w./-]+`,
  String.raw`(?<![\p{L}])\.(?:txt|pub|json|csv)\b`,
  String.raw`\b(?:ssh|ecdsa|sk)-[\w@.-]*…?`,
  // A native app's own scheme, as an address (`com.example.app:/callback`).
  String.raw`\b[a-z][a-z0-9+-]*(?:\.[a-z0-9+-]+)+:\/\S*`,
  // {placeholders}, media types, addresses and URLs, domain-like names, acronyms and names, quoted examples.
  String.raw`\{\w+\}|Content-Type|\b(?:application|image|multipart)\/[\w.+-]*…?|[\w.+-]+@[\w.-]+|https?:\/\/\S+|\b[\w-]+\.(?:com|org|net|txt|pub|json)\b`,
  String.raw`\b(?:SSH|API|TOTP|URL|JSON|HTML|IP|IPv4|IPv6|CIDR|QR|PDF|OS|CPU|ID|2FA|HTTP|HTTPS|CSV|TXT|AAGUID|RSA|PIN|SMS|CSRF|JPEG|PNG|WebP|GIF|AVIF|MB|kB|WebAuthn|iCloud|Keychain|Android|Windows|Linux|macOS|iOS|Chrome|Firefox|Safari|ssh-keygen|authorized_keys|OpenAPI|Basic|Bearer)\b`,
  '„[a-z]{1,12}“|"[^"]*"|`[^`]*`',
];
const PROTECTED = new RegExp(`(${PROTECTED_PATTERNS.join('|')})`, 'gu');

function transliterateWord(word: string): string {
  const exception = WORD_EXCEPTIONS[word.toLowerCase()];
  if (exception) return word[0] === word[0]?.toUpperCase() ? exception[0]?.toUpperCase() + exception.slice(1) : exception;
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const pair = word.slice(i, i + 2);
    if (DIGRAPHS[pair]) {
      out += DIGRAPHS[pair];
      i++;
    } else {
      const ch = word[i] as string;
      out += LETTERS[ch] ?? ch;
    }
  }
  return out;
}

/** Every letter transliterated, nothing protected: what a protected term must never become. */
export function cyrillicLetters(text: string): string {
  return text.replace(/[\p{L}]+/gu, transliterateWord);
}

export function toCyrillic(text: string): string {
  return text
    .split(PROTECTED)
    .map((part, index) => (index % 2 === 1 ? part : cyrillicLetters(part)))
    .join('');
}

export function transliterateCatalogue(value: unknown): unknown {
  if (typeof value === 'string') return toCyrillic(value);
  if (Array.isArray(value)) return value.map(transliterateCatalogue);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, transliterateCatalogue(inner)]));
  }
  return value;
}
