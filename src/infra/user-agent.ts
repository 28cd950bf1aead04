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

/** What a User-Agent string says about the browser and device; empty strings when it does not say. */
export function parseUserAgent(userAgent: string): DeviceDescription {
  const r = UAParser(userAgent.slice(0, 512));
  return {
    browser: r.browser.name ?? '',
    browserVersion: r.browser.major ?? r.browser.version ?? '',
    os: r.os.name ?? '',
    osVersion: r.os.version ?? '',
    deviceVendor: r.device.vendor ?? '',
    deviceModel: r.device.model ?? '',
    deviceType: r.device.type ?? '',
    engine: r.engine.name ?? '',
    engineVersion: r.engine.version ?? '',
    cpu: r.cpu.architecture ?? '',
  };
}

/** "Firefox 133" and "Linux", for mail telling someone where a request came from. */
export function browserAndOs(userAgent: string): { browser: string; os: string } {
  const d = parseUserAgent(userAgent);
  return { browser: [d.browser, d.browserVersion].filter(Boolean).join(' '), os: d.os };
}
