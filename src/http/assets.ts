import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';

/** A short digest of the static files, so their URLs change whenever they do. */
export function assetVersion(dir: string): string {
  const hash = crypto.createHash('sha256');
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(entry.name).update(fs.readFileSync(full));
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 10);
}

const FOREVER = 'public, max-age=31536000, immutable';
const A_DAY = 'public, max-age=86400';

/**
 * GET /assets/*: the files under public/. A URL with the current version (`?v=`, as the
 * layout writes them) names those exact bytes: cached for a year, never revalidated. Any
 * other (the fonts app.css names, a page from before a deploy asking for an old version)
 * may change under the same URL: a day, then revalidated.
 */
export function staticAssets(dir: string, version: string): RequestHandler {
  return express.static(dir, {
    index: false,
    fallthrough: true,
    cacheControl: false,
    setHeaders: (res) => {
      res.setHeader('Cache-Control', res.req.query.v === version ? FOREVER : A_DAY);
    },
  });
}
