import type { Express } from 'express';
import { concretePath, isApiRoute, routeList, type RouteEntry } from '../helpers/route-list';
import type { FuzzBrowser } from './fuzz-client';

/** A browser route that takes a post, and the fields the app's own forms send to it. */
export interface FormTarget {
  route: RouteEntry;
  /** Names of the inputs of the forms that post here. */
  fields: string[];
  /** Every other form's names: strangers to this route, or its own when its form was not seen (it shows only in a state the crawl did not reach). */
  otherFields: string[];
  seen: boolean;
  /** The file inputs, when a form posting here is multipart. */
  files: string[];
}

interface SeenForm {
  action: string;
  multipart: boolean;
  fields: string[];
  files: string[];
}

const decodeEntities = (value: string) => value.replace(/&amp;/g, '&').replace(/&#x2F;|&#47;/g, '/').replace(/&#39;/g, "'").replace(/&#34;|&quot;/g, '"');

/** The post forms of a page, as the browser would send them. */
export function formsIn(html: string, pagePath: string): SeenForm[] {
  const forms: SeenForm[] = [];
  for (const [, attributes = '', inside = ''] of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    if (!/method="post"/i.test(attributes)) continue;
    const action = decodeEntities(/\baction="([^"]*)"/.exec(attributes)?.[1] ?? pagePath).split(/[?#]/)[0] as string;
    const inputs = [...inside.matchAll(/<(?:input|textarea|select|button)\b[^>]*>/g)].map(([tag]) => tag);
    const nameOf = (tag: string) => /\bname="([^"]+)"/.exec(tag)?.[1];
    const fields = [...new Set(inputs.map(nameOf).filter((name): name is string => Boolean(name) && name !== '_csrf'))];
    const files = inputs.filter((tag) => /\btype="file"/.test(tag)).map(nameOf).filter((name): name is string => Boolean(name));
    forms.push({ action, multipart: /enctype="multipart\/form-data"/i.test(attributes), fields: fields.filter((f) => !files.includes(f)), files });
  }
  return forms;
}

/** Pages whose answer is not a page of forms (files, feeds, documents). */
const NOT_A_PAGE = /^\/(assets|avatars|api)\/|\.(keys|txt|json|webp|js|css)$|\/export$|^\/(healthz|readyz)$/;

/** Opens every page of the live app this browser may see, and returns the forms on them. */
export async function crawlForms(app: Express, browser: FuzzBrowser): Promise<SeenForm[]> {
  const forms: SeenForm[] = [];
  for (const route of routeList(app)) {
    if (route.method !== 'get' || NOT_A_PAGE.test(route.path)) continue;
    const path = concretePath(route);
    const answer = await browser.get(path);
    if (answer.headers['content-type']?.startsWith('text/html')) forms.push(...formsIn(answer.text, path));
  }
  return forms;
}

const patternOf = (route: RouteEntry) => new RegExp(`^${route.path.replace(/[.]/g, '\\.').replace(/:\w+/g, '[^/]+')}$`);

/**
 * Every browser route that takes a post, from the live router, with the fields of the
 * forms seen posting to it: a form added later is fuzzed without anyone listing it.
 */
export function formTargets(app: Express, seen: SeenForm[]): FormTarget[] {
  const everyField = [...new Set(seen.flatMap((form) => form.fields))].sort();
  return routeList(app)
    .filter((route) => route.method === 'post' && !isApiRoute(route))
    .map((route) => {
      const pattern = patternOf(route);
      const forms = seen.filter((form) => pattern.test(form.action));
      const fields = [...new Set(forms.flatMap((form) => form.fields))];
      const files = [...new Set(forms.filter((form) => form.multipart).flatMap((form) => form.files))];
      return { route, fields, otherFields: everyField.filter((name) => !fields.includes(name)), files, seen: forms.length > 0 };
    });
}

/** One JSON API operation, from the OpenAPI document the app builds from its endpoint list. */
export interface ApiTarget {
  method: string;
  /** Express form, under /api/v1: `/api/v1/users/me/tokens/:id`. */
  path: string;
  /** The JSON body's properties, when the operation reads one. */
  properties?: string[];
  /** Other media types it reads (the avatar upload). */
  binary: string[];
}

interface OpenApiOperation {
  requestBody?: { content: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
}

export function apiTargets(document: { servers: Array<{ url: string }>; paths: Record<string, Record<string, OpenApiOperation>> }): ApiTarget[] {
  const base = new URL(document.servers[0]?.url as string).pathname.replace(/\/$/, '');
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => {
      const content = operation.requestBody?.content ?? {};
      const json = content['application/json'];
      return {
        method: method.toUpperCase(),
        path: base + path.replace(/\{(\w+)\}/g, ':$1'),
        properties: json ? Object.keys(json.schema?.properties ?? {}) : undefined,
        binary: Object.keys(content).filter((type) => type !== 'application/json'),
      };
    }),
  );
}
