import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { ValidationError } from '../infra/errors';
import { renderPage } from './render';
import { parseInput } from './validate';

export interface FormSpec<T> {
  /** The view that shows the form; it is rendered again, with messages, on bad input. */
  view: string;
  schema: z.ZodType<T>;
  /** Fields echoed back after an error. Never list a password or a secret here. */
  keep: readonly string[];
  /** Locals the view needs besides values and errors (page title, the tab's data, ...). */
  locals: (req: Request, res: Response) => Record<string, unknown> | Promise<Record<string, unknown>>;
  handle: (req: Request, res: Response, input: T) => Promise<void>;
}

const MAX_ECHO = 1000;

function keptValues(body: unknown, keep: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  if (typeof body !== 'object' || body === null) return values;
  for (const name of keep) {
    const value = (body as Record<string, unknown>)[name];
    if (typeof value === 'string') values[name] = value.slice(0, MAX_ECHO);
  }
  return values;
}

/**
 * A classic form post: parse, hand the input to the page's handler (which calls one
 * service), and on a ValidationError, from the schema or from the service, render the
 * same form again with 422, the values kept and a message per field.
 */
export function formHandler<T>(spec: FormSpec<T>): RequestHandler {
  return async (req, res) => {
    try {
      const input = parseInput(spec.schema, req.body);
      await spec.handle(req, res, input);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderPage(res, spec.view, { ...(await spec.locals(req, res)), values: keptValues(req.body, spec.keep), errors: err.fields }, 422);
    }
  };
}

/** The GET side of a form: the same view with empty values and no errors. */
export function formPage<T>(spec: Pick<FormSpec<T>, 'view' | 'locals'>): RequestHandler {
  return async (req, res) => {
    await renderPage(res, spec.view, { ...(await spec.locals(req, res)), values: {}, errors: {} });
  };
}
