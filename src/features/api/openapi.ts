import { z } from 'zod';
import type { ApiEndpoint } from '../../http/api/api-endpoint';
import { errorResponse } from '../../http/api/api-schemas';
import { URLS } from '../../http/urls';

export const API_BASE = URLS.api;

/** A JSON Schema (2020-12, the dialect OpenAPI 3.1 uses) without its own `$schema` line. */
const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const result = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete result.$schema;
  return result;
};

const errorRef = { $ref: '#/components/schemas/Error' };
const errorContent = { 'application/json': { schema: errorRef } };

/** The failures every operation can answer with, and those that depend on what it does. */
function errorResponses(endpoint: ApiEndpoint) {
  const responses: Record<string, unknown> = {
    401: { description: 'No valid credentials (`unauthenticated`, `invalid_credentials`, `token_expired`)', content: errorContent },
    403: { description: `Not allowed: \`insufficient_scope\`, \`ip_not_allowed\`, \`account_locked\`, \`csrf_failed\`${endpoint.operation.recentAuth ? ', `reauth_required`' : ''}`, content: errorContent },
    429: { description: 'Rate limited; see `Retry-After` and `RateLimit`', content: errorContent },
  };
  if (endpoint.body || endpoint.binaryBody || endpoint.query) responses[422] = { description: 'Invalid input; `fields` names each problem', content: errorContent };
  if (endpoint.body) responses[415] = { description: 'The body is not JSON (`unsupported_media_type`)', content: errorContent };
  for (const [status, spec] of Object.entries(endpoint.responses)) {
    if (Number(status) >= 400) responses[status] = { description: spec.description, content: errorContent };
  }
  return responses;
}

function operation(endpoint: ApiEndpoint) {
  const pathParams = [...endpoint.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  const queryParams = Object.entries(endpoint.query?.shape ?? {}).map(([name, field]) => {
    const { description, ...schema } = jsonSchema(field as z.ZodType, 'input');
    return { name, in: 'query', required: false, ...(description ? { description } : {}), schema };
  });
  const params: object[] = [...pathParams, ...queryParams];
  const successes = Object.fromEntries(
    Object.entries(endpoint.responses)
      .filter(([status]) => Number(status) < 400)
      .map(([status, spec]) => {
        if (!spec.schema) return [status, { description: spec.description }];
        const schema = jsonSchema(spec.schema, 'output');
        return [status, { description: spec.description, content: { 'application/json': { schema: spec.list ? { type: 'array', items: schema } : schema } } }];
      }),
  );
  const requestBody = endpoint.body
    ? { required: true, content: { 'application/json': { schema: jsonSchema(endpoint.body, 'input') } } }
    : endpoint.binaryBody
      ? { required: true, content: Object.fromEntries(endpoint.binaryBody.map((type) => [type, { schema: type === 'multipart/form-data' ? { type: 'object', properties: { avatar: { type: 'string', contentMediaType: 'application/octet-stream' } }, required: ['avatar'] } : { type: 'string', contentMediaType: type } }])) }
      : undefined;
  // The console's API takes the admin scope, which only administrators' tokens carry.
  const scope = endpoint.path.startsWith('/admin/') ? 'admin' : endpoint.method === 'get' ? 'read' : 'write';
  return {
    operationId: endpoint.operationId,
    summary: endpoint.summary,
    description: [
      `Needs the \`${scope}\` scope.`,
      endpoint.stepUp ? 'Sensitive: the body must carry `current_password`, and `code` (a current authenticator code) when two-factor authentication is on.' : '',
      endpoint.operation.recentAuth ? 'From the browser session it also needs a sign-in or re-authentication within `REAUTH_MINUTES`, as on the profile pages; otherwise 403 `reauth_required`.' : '',
    ]
      .filter(Boolean)
      .join(' '),
    tags: [endpoint.tag],
    'x-scope': scope,
    ...(params.length ? { parameters: params } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses: { ...successes, ...errorResponses(endpoint) },
  };
}

/** The OpenAPI 3.1 document, generated from the same endpoint list the router is built from. */
export function openApiDocument(endpoints: ApiEndpoint[], info: { productName: string; baseUrl: URL; sessionCookie: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const endpoint of endpoints) {
    paths[endpoint.path] = { ...paths[endpoint.path], [endpoint.method]: operation(endpoint) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: `${info.productName} API`,
      version: '1',
      description: 'Your account, from programs. Authenticate with a personal access token (`Authorization: Bearer pat_…`), with HTTP Basic and an app password, or from the signed-in browser with the session cookie and an `X-CSRF-Token` header. Credentials in the query string are refused. Responses are never cached.',
    },
    servers: [{ url: new URL(API_BASE, info.baseUrl).href }],
    security: [{ token: [] }, { appPassword: [] }, { session: [] }],
    // In the order the features list their endpoints.
    tags: [...new Set(endpoints.map((endpoint) => endpoint.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        token: { type: 'http', scheme: 'bearer', description: 'A personal access token from /profile/tokens' },
        appPassword: { type: 'http', scheme: 'basic', description: 'Your username and an app password from /profile/app-passwords' },
        session: { type: 'apiKey', in: 'cookie', name: info.sessionCookie, description: 'The browser session; send X-CSRF-Token with changes' },
      },
      schemas: { Error: jsonSchema(errorResponse, 'output') },
    },
  };
}
