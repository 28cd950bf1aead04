/**
 * What a first visit costs (npm run bench:page-weight): the bytes of HTML, CSS and
 * JavaScript (gzip, as a compressing proxy sends them) of the sign-in page and the
 * Account tab, fonts counted apart; that nothing comes from another site; and the caching
 * headers: versioned files immutable for a year, signed-in pages no-store.
 * Target: at most 40 KB of HTML + CSS + JS (gzip) per page.
 */
import zlib from 'node:zlib';
import { Browser } from './lib/client';
import { PAGE, signedInService } from './lib/page-load';
import { round, saveResult, verdict } from './lib/report';

const TARGET_KB = 40;

interface Asset {
  url: string;
  kind: 'html' | 'css' | 'js' | 'font' | 'image' | 'other';
  bytes: number;
  gzipBytes: number;
  cacheControl: string;
}

const kindOf = (url: string): Asset['kind'] => {
  const file = url.split('?')[0] as string;
  if (file.endsWith('.css')) return 'css';
  if (file.endsWith('.js')) return 'js';
  if (/\.(woff2?|ttf|otf)$/.test(file)) return 'font';
  if (/\.(svg|png|jpe?g|webp|gif|ico)$/.test(file)) return 'image';
  return 'other';
};

/** Every URL the page makes the browser fetch: stylesheets, scripts, preloads, icons, images, and the fonts its CSS names. */
function fetchedBy(html: string): string[] {
  const tags = [...html.matchAll(/<(?:link|script|img)\b[^>]*>/g)].map((m) => m[0]).filter((tag) => !/rel="(?:alternate|canonical)"/.test(tag));
  return tags.flatMap((tag) => [.../\s(?:src|href)="([^"]+)"/.exec(tag)?.slice(1) ?? []]).map((url) => url.replaceAll('&amp;', '&'));
}

async function weigh(browser: Browser, path: string): Promise<{ page: string; assets: Asset[]; thirdParty: string[] }> {
  const res = await browser.request('GET', path);
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  const assets: Asset[] = [{ url: path, kind: 'html', bytes: res.raw.length, gzipBytes: zlib.gzipSync(res.raw).length, cacheControl: String(res.headers['cache-control']) }];
  const urls = new Set(fetchedBy(res.body));
  const thirdParty = [...urls].filter((url) => /^(?:https?:)?\/\//.test(url));
  const queue = [...urls].filter((url) => url.startsWith('/'));
  for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
    const file = await browser.request('GET', url);
    if (file.status !== 200) throw new Error(`${url} answered ${file.status}`);
    const kind = kindOf(url);
    assets.push({ url, kind, bytes: file.raw.length, gzipBytes: zlib.gzipSync(file.raw).length, cacheControl: String(file.headers['cache-control']) });
    if (kind === 'css') {
      for (const m of file.body.matchAll(/url\("?([^")]+)"?\)/g)) {
        const named = new URL(m[1] as string, `http://x${url}`).pathname;
        if (!urls.has(named)) {
          urls.add(named);
          queue.push(named);
        }
      }
    }
  }
  return { page: path, assets, thirdParty };
}

async function main(): Promise<void> {
  const service = await signedInService(1);
  try {
    const member = service.browsers[0] as Browser;
    const stranger = new Browser(service.service.port);
    const pages = [await weigh(stranger, '/login'), await weigh(member, PAGE)];
    stranger.close();
    let pass = true;
    const results = pages.map(({ page, assets, thirdParty }) => {
      const sum = (kinds: Asset['kind'][], field: 'bytes' | 'gzipBytes') => assets.filter((a) => kinds.includes(a.kind)).reduce((n, a) => n + a[field], 0);
      const kb = (n: number) => round(n / 1024, 1);
      const weight = { htmlCssJsKB: kb(sum(['html', 'css', 'js'], 'bytes')), htmlCssJsGzipKB: kb(sum(['html', 'css', 'js'], 'gzipBytes')), fontsKB: kb(sum(['font'], 'bytes')), otherKB: kb(sum(['image', 'other'], 'bytes')) };
      const wrongCaching = assets.filter((a) => {
        if (a.kind === 'html') return page !== '/login' && a.cacheControl !== 'no-store';
        return a.url.includes('?v=') && !a.url.startsWith('/assets/vendor/') ? !a.cacheControl.includes('immutable') : a.cacheControl.includes('immutable');
      });
      console.log(`\n${page}`);
      for (const a of assets) console.log(`  ${a.kind.padEnd(5)} ${String(kb(a.bytes)).padStart(6)} KB  gzip ${String(kb(a.gzipBytes)).padStart(6)} KB  ${a.cacheControl.padEnd(38)} ${a.url}`);
      console.log(`  HTML + CSS + JS: ${weight.htmlCssJsKB} KB, ${weight.htmlCssJsGzipKB} KB gzip; fonts ${weight.fontsKB} KB (already compressed)`);
      pass = verdict('HTML + CSS + JS, gzip (KB)', weight.htmlCssJsGzipKB, `<= ${TARGET_KB}`, weight.htmlCssJsGzipKB <= TARGET_KB) && pass;
      pass = verdict('requests to other sites', thirdParty.length, '0', thirdParty.length === 0) && pass;
      pass = verdict('files with wrong caching headers', wrongCaching.length, '0', wrongCaching.length === 0) && pass;
      return { page, ...weight, thirdParty, wrongCaching: wrongCaching.map((a) => `${a.url}: ${a.cacheControl}`), assets };
    });
    saveResult('page-weight', { targetKB: TARGET_KB, pages: results, pass });
    process.exitCode = pass ? 0 : 1;
  } finally {
    await service.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
