import { deviceLabel, parseUserAgent } from '../../../src/infra/user-agent';

/** User-Agent strings as real browsers send them. */
const UA = {
  safariMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  firefoxMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:128.0) Gecko/20100101 Firefox/128.0',
  chromeMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  ipad: 'Mozilla/5.0 (iPad; CPU OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  pixel: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36',
  samsung: 'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
  edgeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux aarch64; rv:133.0) Gecko/20100101 Firefox/133.0',
};

const label = (ua: string, hints?: Record<string, string>) => deviceLabel(parseUserAgent(ua, hints));

describe('How a session names the browser and system it came from', () => {
  it('writes system versions as people know them, with dots', () => {
    expect(label(UA.safariMac)).toEqual({ browser: 'Safari 17.4', os: 'macOS 10.15.7', device: '', kind: '' });
    expect(label(UA.chromeMac)).toEqual({ browser: 'Chrome 131', os: 'macOS 10.15.7', device: '', kind: '' });
    expect(label(UA.firefoxMac)).toEqual({ browser: 'Firefox 128', os: 'macOS 10.15', device: '', kind: '' });
    expect(label(UA.iphone).os).toBe('iOS 17.4');
    expect(label(UA.ipad).os).toBe('iPadOS 17.4.1');
    expect(label(UA.pixel).os).toBe('Android 14');
  });

  it('never shows an underscored version, even where a parser passes one through', () => {
    const parsed = { ...parseUserAgent(UA.chromeMac), osVersion: '10_15_7', browserVersion: '131_0' };
    expect(deviceLabel(parsed)).toEqual({ browser: 'Chrome 131', os: 'macOS 10.15.7', device: '', kind: '' });
  });

  it('names the phone or tablet, and no device at all on a desktop', () => {
    expect(label(UA.iphone)).toEqual({ browser: 'Safari 17.4', os: 'iOS 17.4', device: 'iPhone', kind: 'mobile' });
    expect(label(UA.ipad)).toMatchObject({ device: 'iPad', kind: 'tablet' });
    expect(label(UA.pixel)).toEqual({ browser: 'Chrome 131', os: 'Android 14', device: 'Google Pixel 8', kind: 'mobile' });
    expect(label(UA.samsung)).toEqual({ browser: 'Samsung Internet 25', os: 'Android 14', device: 'Samsung SM-S918B', kind: 'mobile' });
    for (const desktop of [UA.safariMac, UA.edgeWindows, UA.firefoxLinux]) expect(label(desktop)).toMatchObject({ device: '', kind: '' });
  });

  it('calls a phone a phone when its browser hides the model', () => {
    const reduced = 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
    expect(label(reduced)).toEqual({ browser: 'Chrome 131', os: 'Android 10', device: '', kind: 'mobile' });
  });

  it('prefers what client hints say over the frozen User-Agent string', () => {
    expect(label(UA.edgeWindows, { 'sec-ch-ua-platform': '"Windows"', 'sec-ch-ua-platform-version': '"15.0.0"' }).os).toBe('Windows 11');
    expect(label(UA.edgeWindows).os).toBe('Windows 10');
  });

  it('says nothing it does not know, rather than "Unknown"', () => {
    expect(label('curl/8.5.0')).toEqual({ browser: '', os: '', device: '', kind: '' });
    expect(label(UA.firefoxLinux)).toEqual({ browser: 'Firefox 133', os: 'Linux', device: '', kind: '' });
  });
});
