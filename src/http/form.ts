import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { ValidationError, type FieldErrors } from '../infra/errors';
import { renderPage } from './render';
import { mergeFieldErrors, parseFields } from './validate';

export interface FormSpec<T> {
  /** The view that shows the form; it is rendered again, with messages, on bad input. */
  view: string;
  schema: z.ZodType<T>;
  /** Fields echoed back after an error. Never list a password or a secret here. */
  keep: readonly string[];
  /**
   * Password fields shown again after an error when they passed their own checks (a new
   * password while only its confirmation was wrong): pages are `no-store`, and a value
   * that failed a check, or equals one that did, is never sent back.
   */
  keepPasswords?: readonly string[];
  /**
   * The service's own rule checks (password policy, confirmation, dates, ...), asked about
   * the fields that are valid when others are not, so that every message comes in one
   * answer. When the whole input is valid the service runs them inside its operation.
   */
  rules?: (valid: Partial<T>, req: Request, res: Response) => FieldErrors | Promise<FieldErrors>;
  /** Locals the view needs besides values and errors (page title, the tab's data, ...). */
  locals: (req: Request, res: Response) => Record<string, unknown> | Promise<Record<string, unknown>>;
  handle: (req: Request, res: Response, input: T) => Promise<void>;
}

const MAX_ECHO = 1000;

function fieldsOf(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}

function keptValues(body: unknown, keep: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of keep) {
    const value = fieldsOf(body)[name];
    if (typeof value === 'string') values[name] = value.slice(0, MAX_ECHO);
  }
  return values;
}

/** The password fields that may be shown again: none of them failed, nor equals one that did. */
function keptPasswords(req: Request, res: Response, names: readonly string[], errors: FieldErrors): Record<string, string> {
  if (res.get('Cache-Control') !== 'no-store') return {};
  const body = fieldsOf(req.body);
  const failed = names.filter((name) => errors[name]).map((name) => body[name]);
  const kept: Record<string, string> = {};
  for (const name of names) {
    const value = body[name];
    if (typeof value === 'string' && value !== '' && !errors[name] && !failed.includes(value) && value.length <= MAX_ECHO) kept[name] = value;
  }
  return kept;
}

/** What showing a form again takes. */
type FormView = Pick<FormSpec<unknown>, 'view' | 'keep' | 'locals'>;

async function renderAgain(spec: FormView, req: Request, res: Response, errors: FieldErrors, status: number, values: Record<string, string>): Promise<void> {
  await renderPage(res, spec.view, { ...(await spec.locals(req, res)), values: { ...keptValues(req.body, spec.keep), ...values }, errors }, status);
}

/** Every form handler's spec, for the answer to a form sent with an expired token (see expired-forms.ts). */
const views = new WeakMap<RequestHandler, FormView>();

/**
 * A classic form post: parse, hand the input to the page's handler (which calls one
 * service), and on a ValidationError, from the schema, the rules or the service, render
 * the same form again with its status (422 unless it says otherwise), the values kept
 * and a message per field.
 */
export function formHandler<T>(spec: FormSpec<T>): RequestHandler {
  const handler: RequestHandler = async (req, res) => {
    try {
      const parsed = parseFields(spec.schema, req.body);
      if (!parsed.ok) throw new ValidationError(mergeFieldErrors(spec.schema, parsed.errors, spec.rules ? await spec.rules(parsed.valid, req, res) : {}));
      await spec.handle(req, res, parsed.data);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderAgain(spec, req, res, err.fields, err.status, keptPasswords(req, res, spec.keepPasswords ?? [], err.fields));
    }
  };
  views.set(handler, { view: spec.view, keep: spec.keep, locals: spec.locals });
  return handler;
}

/**
 * The answer to a post whose CSRF token had expired: the same form again, 403, with what
 * was typed (but no password), a new token and a message saying to check and send it again.
 * Nothing is done with the values. Undefined when `handler` is not a form handler.
 */
export function expiredFormAnswer(handler: RequestHandler): RequestHandler | undefined {
  const spec = views.get(handler);
  if (!spec) return undefined;
  return async (req, res) => {
    await renderAgain(spec, req, res, { _form: { key: 'errors.formExpired' } }, 403, {});
  };
}

/** The GET side of a form: the same view with empty values and no errors. */
export function formPage<T>(spec: Pick<FormSpec<T>, 'view' | 'locals'>): RequestHandler {
  return async (req, res) => {
    await renderPage(res, spec.view, { ...(await spec.locals(req, res)), values: {}, errors: {} });
  };
}
