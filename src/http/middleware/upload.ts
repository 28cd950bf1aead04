import type { RequestHandler } from 'express';
import multer from 'multer';
import { ValidationError } from '../../infra/errors';

declare module 'express-serve-static-core' {
  interface Request {
    /** Why the uploaded file was refused before the handler saw it (too large, several files, ...). */
    uploadError?: ValidationError;
  }
}

/**
 * One file in memory, bounded: multer stops reading at the limit. A refused upload does
 * not fail the request; the handler re-renders its form with the reason.
 */
export function singleUpload(field: string, maxBytes: number, messages: { tooLarge: string; unreadable: string }): RequestHandler {
  const parse = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 12, fieldSize: 4096, headerPairs: 50 },
  }).single(field);
  return (req, res, next) => {
    parse(req, res, (err: unknown) => {
      if (err) {
        const code = (err as { code?: string }).code;
        req.uploadError = ValidationError.field(field, code === 'LIMIT_FILE_SIZE' ? messages.tooLarge : messages.unreadable, { megabytes: maxBytes / 1024 / 1024 });
      }
      next();
    });
  };
}
