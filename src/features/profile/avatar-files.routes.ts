import { Router } from 'express';
import { URLS } from '../../http/urls';
import type { AvatarService } from './avatar.service';

/**
 * An uploaded picture is never a document: nothing may load from it, frame it or run in it,
 * even when someone opens its URL directly.
 */
const AVATAR_CSP = "default-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; sandbox";

/**
 * GET /avatars/:hash/:size.webp: an avatar image. The URL names the content, so it can
 * be cached for a year and never goes stale; no session is needed to serve it. Other
 * origins may show it (the `picture` claim hands it to applications signing people in
 * here), which helmet's same-origin resource policy would refuse them.
 */
export function avatarFileRoutes(avatars: AvatarService): Router {
  const router = Router();
  router.get(URLS.avatarFile, async (req, res, next) => {
    const size = req.params.size === '256' ? 'large' : req.params.size === '96' ? 'small' : undefined;
    const hash = String(req.params.hash);
    const avatar = size && (await avatars.find(hash, size));
    if (!avatar) return next();
    const etag = `"${hash.slice(0, 32)}-${req.params.size}"`;
    res.set({ 'Cache-Control': 'public, max-age=31536000, immutable', ETag: etag, 'Content-Type': avatar.mime, 'Content-Security-Policy': AVATAR_CSP, 'Cross-Origin-Resource-Policy': 'cross-origin' });
    if (req.get('if-none-match') === etag) return res.status(304).end();
    res.send(avatar.bytes);
  });
  return router;
}
