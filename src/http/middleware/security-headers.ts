import type { RequestHandler, Response } from 'express';
import helmet from 'helmet';
import type { Config } from '../../config';
import { ACCEPT_CH } from '../../infra/user-agent';
import type { SecretRoutes } from '../secret-routes';

/**
 * helmet with a Content-Security-Policy tighter than its defaults: scripts and styles
 * only from our own files (no inline code, so no nonces are needed), no plugins, no
 * <base>, no framing, forms only to ourselves and the identity providers' origins (a
 * browser holds form-action to the redirects after a post too, and the "Continue with"
 * buttons are posts answered with a redirect to the provider). A page whose URL holds a secret (a route
 * with a secret parameter, its error pages included) sends no Referer at all.
 */
export function securityHeaders(config: Config, secretRoutes: SecretRoutes): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'", ...new Set(config.oidcProviders.map((provider) => provider.issuer.origin))],
        ...(config.secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: config.secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
    frameguard: { action: 'deny' },
  });
  return (req, res, next) => {
    // Ask Chromium for the client hints that make the Sessions tab precise (OS version, model, CPU).
    res.set('Accept-CH', ACCEPT_CH);
    headers(req, res, (err?: unknown) => {
      if (secretRoutes.holdsSecret(req.path)) res.set('Referrer-Policy', 'no-referrer');
      next(err);
    });
  };
}

/**
 * Lets the forms of this one response lead to `target`'s origin too (a page whose post is
 * answered with a redirect to another site, which a browser holds to form-action). An app's
 * own scheme (com.example.app:/signed-out) has no origin: the scheme is its source.
 */
export function allowFormActionTo(res: Response, target: unknown): void {
  if (typeof target !== 'string' || !URL.canParse(target)) return;
  const url = new URL(target);
  const source = url.origin === 'null' ? url.protocol : url.origin;
  const csp = res.getHeader('Content-Security-Policy');
  if (typeof csp === 'string') res.setHeader('Content-Security-Policy', csp.replace(/form-action ([^;]*)/, `form-action $1 ${source}`));
}
