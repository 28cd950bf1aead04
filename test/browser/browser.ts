/// <reference lib="dom" />
import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app';
import { closedPort } from '../helpers/tcp-proxy';

export const SCREENSHOTS = path.join(__dirname, '..', '..', 'test-output', 'screenshots');
export const THEMES = ['light', 'dark', 'warm', 'contrast'] as const;
export const NARROW = { width: 375, height: 800 };
export const WIDE = { width: 1280, height: 860 };

export interface Site {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/** The application listening on 127.0.0.1 and Debian's Chromium, headless, no downloads. */
export async function openSite(env: Record<string, string> = {}, options: { hostname?: string; port?: number } = {}): Promise<Site> {
  const port = options.port ?? (await closedPort());
  // Passkeys need a domain name for their relying party: "localhost", not an address.
  const baseUrl = `http://${options.hostname ?? '127.0.0.1'}:${port}`;
  const t = await startTestApp({ BASE_URL: baseUrl, ...env });
  const server: Server = await new Promise((resolve) => {
    const s = t.app.listen(port, '127.0.0.1', () => resolve(s));
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    t,
    baseUrl,
    browser,
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await t.close();
    },
  };
}

export async function newContext(site: Site, options: { javaScript?: boolean; theme?: string; locale?: string; viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
  const context = await site.browser.newContext({
    javaScriptEnabled: options.javaScript ?? true,
    viewport: options.viewport ?? WIDE,
    locale: options.locale ?? 'en-GB',
    colorScheme: 'light',
  });
  const cookies = [];
  if (options.theme) cookies.push({ name: 'theme', value: options.theme, url: site.baseUrl });
  if (options.locale && ['de', 'sr', 'sr-Cyrl'].includes(options.locale)) cookies.push({ name: 'lang', value: options.locale, url: site.baseUrl });
  if (cookies.length) await context.addCookies(cookies);
  return context;
}

/** Saves a full-page screenshot under test-output/screenshots, for people to look at. */
export async function shoot(page: Page, name: string): Promise<void> {
  await fullPageScreenshot(page, path.join(SCREENSHOTS, `${name}.png`));
}

/**
 * A screenshot of the whole page. Chromium on a loaded machine sometimes has no frame ready
 * just after a resize ("Unable to capture screenshot", seen once in a full CI-sized run):
 * that failure is the browser's, not the page's, so it is tried once more after a frame.
 */
export async function fullPageScreenshot(page: Page, file: string): Promise<void> {
  try {
    await page.screenshot({ path: file, fullPage: true });
  } catch (err) {
    if (!String(err).includes('Unable to capture screenshot')) throw err;
    await page.waitForTimeout(250);
    await page.screenshot({ path: file, fullPage: true });
  }
}

/** A page must never scroll sideways: that is how overflowing text shows on a phone. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Signs in through the form, as a person would, and waits for the home page. */
export async function signInThroughForm(site: Site, page: Page, user: { username: string; password: string }): Promise<void> {
  await page.goto(`${site.baseUrl}/login`);
  await page.locator('#field-identifier').fill(user.username);
  await page.locator('#field-password').fill(user.password);
  await page.locator('form[action="/login"] button[type=submit]').click();
  await page.waitForURL(`${site.baseUrl}/`);
}
