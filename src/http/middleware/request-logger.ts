import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../../infra/logger';
import { clientIp } from '../request-context';
import type { SecretRoutes } from '../secret-routes';

/** One line per request: method, path without secrets or query, status, time, client IP. */
export function requestLogger(logger: Logger, secretRoutes: SecretRoutes): RequestHandler {
  return pinoHttp({
    logger,
    autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/assets/') },
    serializers: {
      req: (req: { method: string; url: string; raw: Request }) => ({
        method: req.method,
        url: secretRoutes.redact(req.url),
        ip: clientIp(req.raw),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) => (err || res.statusCode >= 500 ? 'error' : 'info'),
  }) as unknown as RequestHandler;
}
