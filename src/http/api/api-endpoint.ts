import type { Operation } from '../../core/operations';
import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { contextOf, type RequestContext } from '../request-context';
import { signedInUser } from '../pages';
import { parseInput, type FieldRules } from '../validate';
import type { User } from '../../core/users/user';
import { ValidationError, type FieldErrors } from '../../infra/errors';

export interface ApiResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** A list of `schema` items rather than one. */
  list?: boolean;
}

/**
 * One operation of the JSON API. The router and the OpenAPI document are both built from
 * these, and a test compares the live router with the document.
 */
export interface ApiEndpoint {
  method: 'get' | 'put' | 'post' | 'delete';
  /** Below /api/v1, in OpenAPI form: `/users/me/tokens/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  /** The group it is listed under in the document (each feature names its own). */
  tag: string;
  /** Its row in the operations table (core/operations.ts), which the page for it names too. */
  operation: Operation;
  /**
   * Needs `current_password` (and `code` with an authenticator app) in `body`: the API
   * router checks them, after the whole body is valid and before the handler runs.
   */
  stepUp?: boolean;
  /** Query parameters (every one optional), documented from this schema; the handler parses them with it. */
  query?: z.ZodObject;
  /** A JSON body, validated with the same field rules as the matching form. */
  body?: z.ZodType;
  /**
   * The operation's own rule checks, asked about the body's valid fields when others are
   * not, so that every field's message comes back at once (typed by each endpoint's body).
   */
  rules?: (valid: never, req: Request) => FieldErrors;
  /** Other request media types (the avatar upload), documented as binary. */
  binaryBody?: string[];
  responses: Record<number, ApiResponseSpec>;
  /** Middleware the operation needs before its handler (a body parser for uploads). */
  before?: RequestHandler[];
  handler: RequestHandler;
}

/** What a handler works with: the caller (the API router lets no one through unauthenticated) and their context. */
export function callOf(req: Request, res: Response): { user: User; ctx: RequestContext } {
  return { user: signedInUser(req), ctx: contextOf(req, res) };
}

/** The body, valid; otherwise every field's message at once, the schema's and (for the fields that are valid) the rules'. */
export function bodyOf<T>(schema: z.ZodType<T>, req: Request, rules?: FieldRules<T>): T {
  return parseInput(schema, req.body, rules);
}

/** An endpoint's body with its rules: every message at once, whether the schema fails or not. */
export function checkedBodyOf<T>(endpoint: Pick<ApiEndpoint, 'rules'>, schema: z.ZodType<T>, req: Request): T {
  const rules: FieldRules<T> | undefined = endpoint.rules && ((valid) => (endpoint.rules as (valid: Partial<T>, req: Request) => FieldErrors)(valid, req));
  const body = bodyOf(schema, req, rules);
  if (rules) ValidationError.throwIfAny(rules(body));
  return body;
}
