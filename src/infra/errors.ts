import type { TranslateParams } from './i18n';

/** A message to be translated where it is shown: an i18n key plus its parameters. */
export interface Message {
  key: string;
  params?: TranslateParams;
}

export type FieldErrors = Record<string, Message>;

/**
 * Every expected failure is an AppError: it carries the HTTP status, a stable code for
 * JSON clients and an i18n key for people. The error handler renders it; nothing else
 * decides how a failure looks.
 */
export class AppError extends Error {
  /** The page title; by default the one for the status code. */
  titleKey?: string;
  /** Plain facts the error page may show besides the message (never a secret). */
  details?: Record<string, unknown>;

  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageKey: string,
    readonly params: TranslateParams = {},
  ) {
    super(code);
    this.name = new.target.name;
  }
}

/**
 * What was sent cannot be done as sent: a form shows itself again with these messages.
 * Usually 422; a subclass may say that the refusal is not the sender's fault (503).
 */
export class ValidationError extends AppError {
  constructor(
    readonly fields: FieldErrors,
    messageKey = 'errors.validation',
    status = 422,
    code = 'validation_failed',
  ) {
    super(status, code, messageKey);
  }

  static field(name: string, key: string, params?: TranslateParams): ValidationError {
    return new ValidationError({ [name]: { key, params } });
  }

  /** Throws every message at once, when there are any. */
  static throwIfAny(fields: FieldErrors): void {
    if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  }
}

export class BadRequestError extends AppError {
  constructor(messageKey = 'errors.badRequest', code = 'bad_request') {
    super(400, code, messageKey);
  }
}

export class UnauthorizedError extends AppError {
  constructor(messageKey = 'errors.unauthorized', code = 'unauthorized') {
    super(401, code, messageKey);
  }
}

export class ForbiddenError extends AppError {
  constructor(messageKey = 'errors.forbidden', code = 'forbidden', params?: TranslateParams) {
    super(403, code, messageKey, params);
  }
}

export class CsrfError extends AppError {
  override titleKey = 'errors.titles.csrf';

  constructor() {
    super(403, 'csrf_failed', 'errors.csrf');
  }
}

export class NotFoundError extends AppError {
  constructor(messageKey = 'errors.notFound') {
    super(404, 'not_found', messageKey);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(messageKey = 'errors.tooLarge') {
    super(413, 'payload_too_large', messageKey);
  }
}

export class RateLimitedError extends AppError {
  /** The limit that was hit, for RateLimit headers on API responses. */
  limit?: { points: number; windowSeconds: number };

  constructor(readonly retryAfterSeconds: number) {
    super(429, 'rate_limited', 'errors.rateLimited', {});
  }
}

export class ServiceUnavailableError extends AppError {
  constructor() {
    super(503, 'service_unavailable', 'errors.unavailable');
  }
}
