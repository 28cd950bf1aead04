/**
 * Ways of writing "another site" where a return address is expected, after OWASP's
 * unvalidated redirects cheat sheet and the parsers' corner cases. Each one reaches the
 * service exactly as written here (tests encode it for the query string or form).
 */
export const EVIL = 'evil.example';

export const BYPASS_SPELLINGS: readonly string[] = [
  // Scheme-relative: the browser keeps the scheme and takes the host.
  `//${EVIL}`,
  `//${EVIL}/profile`,
  `///${EVIL}`,
  `////${EVIL}`,
  // Backslashes count as slashes in special URLs.
  `/\\${EVIL}`,
  `\\/${EVIL}`,
  `\\\\${EVIL}`,
  `/\\/${EVIL}`,
  // Dot segments that collapse into a scheme-relative path once normalised.
  `/.//${EVIL}`,
  `/./\\${EVIL}`,
  `/..//${EVIL}`,
  `/profile/..//${EVIL}`,
  `/%2e//${EVIL}`,
  `/%2e%2e//${EVIL}`,
  `/%2E%2E/%2E%2E//${EVIL}`,
  `/.%2e//${EVIL}`,
  // Encoded and double-encoded slashes and backslashes.
  `/%2F${EVIL}`,
  `/%2F%2F${EVIL}`,
  `%2F%2F${EVIL}`,
  `/%5C${EVIL}`,
  `/%5C%5C${EVIL}`,
  `/%252F%252F${EVIL}`,
  `%252F%252F${EVIL}`,
  // Tabs and newlines are dropped by the URL parser; leading spaces and C0 controls stripped.
  `/\t/${EVIL}`,
  `/\n/${EVIL}`,
  `/\r/${EVIL}`,
  `/\r\n/${EVIL}`,
  `\t//${EVIL}`,
  ` //${EVIL}`,
  `  /\\${EVIL}`,
  `\u0000//${EVIL}`,
  `/\u000b/${EVIL}`,
  // Schemes.
  `https://${EVIL}/`,
  `http://${EVIL}`,
  `https:${EVIL}`,
  `http:${EVIL}`,
  `https:/${EVIL}`,
  `https:\\\\${EVIL}`,
  `HTTPS://${EVIL.toUpperCase()}`,
  `ftp://${EVIL}/`,
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'java\tscript:alert(1)',
  ' javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  // Userinfo: everything before @ is a user name, the host comes after it.
  `//a@${EVIL}`,
  `//localhost:3000@${EVIL}`,
  `http://localhost:3000@${EVIL}/`,
  `https://localhost:3000%40${EVIL}/`,
  // Hosts in other spellings: IDN, full-width letters and dots, IPv6 and IPv4 numbers.
  '//evіl.example',
  '//ｅｖｉｌ.example',
  `//evil。example`,
  '//[::1]/',
  '//[::ffff:7f00:1]:3000/',
  'http://[::1]:3000/',
  '//2130706433/',
  '//0x7f.0.0.1/',
  // BASE_URL's own host under another scheme, port or spelling.
  'https://localhost:3000/profile',
  'http://localhost:3001/profile',
  'http://localhost/profile',
  'ws://localhost:3000/profile',
  'http://localhost.:3000/profile',
  `http://localhost:3000.${EVIL}/profile`,
  `http://localhost${EVIL}/`,
];

/** Where a browser showing `page` goes when it follows `target` (a Location or an href). */
export function destinationOf(target: string, page: URL): URL | undefined {
  try {
    return new URL(target, page);
  } catch {
    return undefined;
  }
}

/**
 * The spellings whose result would take a browser off `base`'s origin: the result is read
 * as a browser reads it, from a page at the site's root and from one deeper down.
 */
export function leavingSite(results: Array<{ spelling: string; target: string | undefined }>, base: URL) {
  const pages = [new URL('/', base), new URL('/reauth/a/b', base)];
  return results.filter(({ target }) => target !== undefined && pages.some((page) => destinationOf(target, page)?.origin !== base.origin));
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&#34;': '"', '&#39;': "'", '&quot;': '"' };

/** An HTML attribute's value as the browser reads it. */
export function attributeValue(escaped: string): string {
  return escaped.replace(/&(?:amp|lt|gt|quot|#34|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}
