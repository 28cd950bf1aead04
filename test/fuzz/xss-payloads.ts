import { Parser } from 'htmlparser2';

/**
 * Hostile text for every field a person can set, and a proof, by parsing the HTML as a
 * browser tokenises it (htmlparser2), that such text stayed text.
 *
 * Every payload carries a marker (`xssmark` and two digits) in the part that would run
 * if it escaped. Markers are plain letters and digits, so escaping cannot hide them: each
 * one in the raw HTML must be found again in a text node or an attribute value that
 * cannot run, or something in the page came from the payload.
 */

export const MARKER = /xssmark\d\d/g;

/** The classic polyglot (0xdabeef): breaks out of attributes, comments, script, style, title and textarea. 144 characters. */
export const POLYGLOT = "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert(xssmark01) )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!><sVg/<sVg/oNloAd=alert(xssmark01)//>>";

/** The same breakouts in 100 characters (names, SSH key titles). */
export const POLYGLOT_100 = "jaVasCript:/*'/*\"/**/oNcliCk=alert(xssmark02)//</stYle/</titLe/</teXtarEa/</scRipt/--!><sVg/oNloAd=alert(xssmark02)>";

/** And in 60 (token, app password and passkey names). */
export const POLYGLOT_60 = "'\"--!></stYle/</scRipt/</teXtarEa><sVg/oNloAd=alert(xssmark03)>";

/** Shorter payloads, each aimed at one context; all fit in 60 characters. */
export const SHORT_PAYLOADS = [
  '"><img src=x onerror=alert(xssmark04)>',
  "'><svg/onload=alert(xssmark05)>",
  '</script><script>alert(xssmark06)</script>',
  '{{7*7}}<%= 7*7 %>${7*7}#{7*7}xssmark07',
  'javascript:alert(xssmark08)//',
  '" autofocus onfocus="alert(xssmark09)" x="',
  "' onmouseover='alert(xssmark10)' x='",
  '--><!--<img src=x onerror=alert(xssmark11)>',
  '</textarea></title></style><b>xssmark12</b>',
] as const;

export const LONG_PAYLOADS = [POLYGLOT, POLYGLOT_100, POLYGLOT_60, ...SHORT_PAYLOADS];

/** Client hints of a hostile phone (quoted, as browsers send them): parsers take browser, system and model from them. */
export const HOSTILE_HINTS = {
  'Sec-CH-UA-Model': '"<img src=x onerror=alert(xssmark13)>"',
  'Sec-CH-UA-Platform': '"</title><svg/onload=alert(xssmark14)>"',
  'Sec-CH-UA-Full-Version-List': '"\\"><script>alert(xssmark15)</script>";v="1.0", "Chromium";v="124"',
};

/**
 * What precedes each marker in its payload. Escaped, a payload keeps these characters in
 * front of its marker; a payload that became markup loses them to a tag (`<b>xssmark12`
 * escaped is text; injected, the text node holds only `xssmark12`).
 */
const CONTEXTS: Array<[string, string]> = [...LONG_PAYLOADS, ...Object.values(HOSTILE_HINTS)].flatMap((payload) =>
  [...payload.matchAll(MARKER)].map((m): [string, string] => [m[0], payload.slice(Math.max(0, (m.index ?? 0) - 4), m.index)]),
);

/** The payloads a field of at most `max` characters takes, the strongest first. */
export const payloadsWithin = (max: number): string[] => LONG_PAYLOADS.filter((p) => p.length <= max);

/** Attributes whose value a browser follows or runs as a URL. */
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'poster', 'xlink:href', 'data', 'srcset', 'background', 'ping', 'cite', 'codebase', 'lowsrc', 'dynsrc']);
/** Attributes whose value is code or a document. */
const CODE_ATTRIBUTES = new Set(['style', 'srcdoc', 'content']);
const RAW_TEXT = new Set(['script', 'style']);
/** Schemes a link of ours may use; a URL that starts with anything else and came from a person is a way to run code. */
const SAFE_SCHEME = /^(https?|mailto|otpauth):/i;

export interface Inertness {
  /** What is wrong: an element, attribute or handler the payload made, or payload text where it can run. */
  problems: string[];
  /** Every text node (entities decoded), outside script and style. */
  texts: string[];
  /** Every attribute value (entities decoded) of an attribute that cannot run. */
  values: string[];
}

const countMarkers = (s: string) => s.match(MARKER)?.length ?? 0;
/** Markers in `s` that lack the characters their payload has in front of them. */
const uprooted = (s: string) => [...s.matchAll(MARKER)].filter((m) => !CONTEXTS.some(([marker, before]) => marker === m[0] && s.slice(0, m.index).endsWith(before))).map((m) => m[0]);
/**
 * htmlparser2 leaves character references in a textarea as they are; a browser decodes
 * them (the textarea holds text, not markup), so the text the person sees is this.
 */
const decodeCharacterReferences = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|quot|apos|amp);/gi, (_whole, ref: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
    if (ref[0] !== '#') return named[ref.toLowerCase()] as string;
    return String.fromCodePoint(ref[1]?.toLowerCase() === 'x' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1)));
  });

/** What a browser does to a URL before it looks at the scheme: controls and whitespace are dropped. */
const urlOf = (value: string) => value.replace(/[\u0000-\u0020]/g, '');

/**
 * Parses `html` and lists what would make a payload in it live. `where` names the page or
 * mail in the messages.
 */
export function inspectHtml(html: string, where: string): Inertness {
  const problems: string[] = [];
  const texts: string[] = [];
  const values: string[] = [];
  const open: string[] = [];
  let text = '';
  const endText = () => {
    if (text) texts.push(text);
    text = '';
  };
  const parser = new Parser(
    {
      onopentagname(name) {
        endText();
        if (countMarkers(name) > 0 || !/^[a-z][a-z0-9-]*$/.test(name)) problems.push(`${where}: an element <${name}> made of payload`);
      },
      onattribute(name, value) {
        const lower = name.toLowerCase();
        if (lower.startsWith('on')) problems.push(`${where}: an event handler ${name}="${value}"`);
        else if (!/^[a-z][a-z0-9:_-]*$/.test(lower) || countMarkers(name) > 0) problems.push(`${where}: an attribute ${name} broken out of a value`);
        else if (URL_ATTRIBUTES.has(lower) && /^[a-z][a-z0-9+.-]*:/i.test(urlOf(value)) && !SAFE_SCHEME.test(urlOf(value))) problems.push(`${where}: ${name}="${value}" runs as a URL`);
        else if (CODE_ATTRIBUTES.has(lower) && countMarkers(value) > 0) problems.push(`${where}: payload in ${name}="${value}"`);
        else values.push(value);
      },
      onopentag(name) {
        open.push(name);
      },
      onclosetag(name) {
        endText();
        const at = open.lastIndexOf(name);
        if (at >= 0) open.length = at;
      },
      ontext(data) {
        const inside = open[open.length - 1] ?? '';
        if (RAW_TEXT.has(inside)) {
          if (countMarkers(data) > 0) problems.push(`${where}: payload inside <${inside}>: ${data.trim().slice(0, 120)}`);
          return;
        }
        text += inside === 'textarea' ? decodeCharacterReferences(data) : data;
      },
      oncomment(data) {
        endText();
        if (countMarkers(data) > 0) problems.push(`${where}: payload inside a comment: ${data.slice(0, 120)}`);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: false, recognizeSelfClosing: false },
  );
  parser.write(html);
  parser.end();
  endText();
  for (const s of [...texts, ...values]) for (const marker of uprooted(s)) problems.push(`${where}: ${marker} stands alone in "${s.slice(0, 120)}": the markup around it became elements`);
  // Every marker in the bytes must be accounted for by text or a harmless attribute value.
  const seen = texts.reduce((n, s) => n + countMarkers(s), 0) + values.reduce((n, s) => n + countMarkers(s), 0);
  const raw = countMarkers(html);
  if (problems.length === 0 && seen !== raw) problems.push(`${where}: ${raw - seen} of ${raw} payload markers are not in text or a harmless attribute value`);
  return { problems, texts, values };
}

/** Whether a page or mail shows `payload` whole, as text or in an attribute value (escaped in the bytes, itself once parsed). */
export function showsVerbatim(inspected: Inertness, payload: string): boolean {
  return [...inspected.texts, ...inspected.values].some((s) => s.includes(payload));
}
