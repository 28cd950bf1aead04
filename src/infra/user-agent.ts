import { UAParser } from 'ua-parser-js';

export interface DeviceDescription {
  browser: string;
  browserVersion: string;
  os: string;
  osVersion: string;
  deviceVendor: string;
  deviceModel: string;
  deviceType: string;
  engine: string;
  engineVersion: string;
  cpu: string;
}

/** The client hints worth keeping with a session (Chromium sends them when asked by Accept-CH). */
export const CLIENT_HINTS = [
  'sec-ch-ua',
  'sec-ch-ua-mobile',
  'sec-ch-ua-platform',
  'sec-ch-ua-platform-version',
  'sec-ch-ua-arch',
  'sec-ch-ua-bitness',
  'sec-ch-ua-model',
  'sec-ch-ua-full-version-list',
] as const;

/** The high-entropy hints we ask browsers for, so that the Sessions tab can be precise. */
export const ACCEPT_CH = 'Sec-CH-UA-Platform-Version, Sec-CH-UA-Arch, Sec-CH-UA-Bitness, Sec-CH-UA-Model, Sec-CH-UA-Full-Version-List';

/** The hints present in a request's headers, each bounded. */
export function clientHintsOf(headers: Record<string, string | string[] | undefined>): Record<string, string> | undefined {
  const hints: Record<string, string> = {};
  for (const name of CLIENT_HINTS) {
    const value = headers[name];
    if (typeof value === 'string' && value.length > 0) hints[name] = value.slice(0, 256);
  }
  return Object.keys(hints).length > 0 ? hints : undefined;
}

/** Parsing costs a few hundred microseconds and people have few distinct browsers: keep recent answers. */
const CACHE_SIZE = 1000;
const cache = new Map<string, DeviceDescription>();

/**
 * What a User-Agent string (and the client hints, when the browser sent them) says about
 * the browser and device; empty strings where it does not say.
 */
export function parseUserAgent(userAgent: string, hints?: Record<string, string>): DeviceDescription {
  const key = hints ? `${userAgent}\n${JSON.stringify(hints)}` : userAgent;
  const cached = cache.get(key);
  if (cached) return cached;
  const parsed = parse(userAgent, hints);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, parsed);
  return parsed;
}

/** Some parsers pass "10_15_7" through from the User-Agent string; people write 10.15.7. */
const dotted = (version: string) => version.replace(/_/g, '.');

function parse(userAgent: string, hints?: Record<string, string>): DeviceDescription {
  const r = UAParser({ 'user-agent': userAgent.slice(0, 512), ...hints }).withClientHints() as ReturnType<ReturnType<typeof UAParser>['withClientHints']> & UAParser.IResult;
  // Linux user agents carry the CPU where other systems carry their version.
  const osVersionIsCpu = /^(x86_64|aarch64|i[3-6]86|armv\d+l?|arm64|amd64)$/.test(r.os.version ?? '');
  return {
    browser: r.browser.name ?? '',
    browserVersion: dotted(r.browser.version ?? ''),
    os: r.os.name ?? '',
    osVersion: osVersionIsCpu ? '' : dotted(r.os.version ?? ''),
    deviceVendor: r.device.vendor ?? '',
    deviceModel: r.device.model ?? '',
    deviceType: r.device.type ?? '',
    engine: r.engine.name ?? '',
    engineVersion: r.engine.version ?? '',
    cpu: r.cpu.architecture ?? (osVersionIsCpu ? (r.os.version ?? '') : ''),
  };
}

/** "Firefox 133" and "Linux", for mail telling someone where a request came from. */
export function browserAndOs(userAgent: string): { browser: string; os: string } {
  const d = parseUserAgent(userAgent);
  return { browser: [d.browser, d.browserVersion.split('.')[0]].filter(Boolean).join(' '), os: d.os };
}

/** A short name for whatever sent a request: "Firefox 133 · Linux", or "curl/8.5.0" for a program. */
export function clientSummary(userAgent: string): string {
  const { browser, os } = browserAndOs(userAgent);
  if (browser) return [browser, os].filter(Boolean).join(' · ');
  return (userAgent.trim().split(/\s+/)[0] ?? '').slice(0, 60);
}

/** A session as people name it: "Firefox 128" on "macOS 10.15.7", and the phone or tablet when it is one. */
export interface DeviceLabel {
  browser: string;
  os: string;
  /** "iPhone", "Google Pixel 8"; empty on desktops, where the model says nothing useful. */
  device: string;
  kind: 'mobile' | 'tablet' | '';
}

/** Browsers are known by their major version, Safari by major.minor (17.4). */
function shortBrowserVersion(name: string, version: string): string {
  const parts = dotted(version).split('.');
  return (/Safari/.test(name) ? parts.slice(0, 2) : parts.slice(0, 1)).join('.');
}

/** Chromium's reduced User-Agent says "Android 10; K": a placeholder, not a model. */
const PLACEHOLDER_MODELS = new Set(['K']);

/** The words for a session's list row: what the browser is and runs on, without guessing. */
export function deviceLabel(d: DeviceDescription): DeviceLabel {
  const kind = d.deviceType === 'mobile' || d.deviceType === 'tablet' ? d.deviceType : '';
  const browserName = d.browser.replace(/^Mobile /, '');
  const osName = d.os === 'iOS' && kind === 'tablet' ? 'iPadOS' : d.os;
  const model = PLACEHOLDER_MODELS.has(d.deviceModel) ? '' : d.deviceModel;
  const vendor = d.deviceVendor === 'Apple' ? '' : d.deviceVendor;
  return {
    browser: [browserName, browserName && shortBrowserVersion(d.browser, d.browserVersion)].filter(Boolean).join(' '),
    os: [osName, osName && dotted(d.osVersion)].filter(Boolean).join(' '),
    device: kind && model ? [vendor, model].filter(Boolean).join(' ') : '',
    kind,
  };
}
