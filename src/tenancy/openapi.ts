import { z } from 'zod';
import type { ErrorStatus, RouteDoc } from './route-spec.js';
import { errorSchema } from './schemas.js';

/**
 * The admin API's OpenAPI 3.1 document, generated from the same route descriptions and zod
 * schemas the server validates with (OpenAPI 3.1 uses JSON Schema 2020-12, zod's default target).
 * Tenancy's routes are RouteSpecs; every other module passes its admin routes in as RouteDocs.
 */

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

const STATUS_TEXT: Record<ErrorStatus, string> = {
  400: 'Invalid input; `error.param` names the field',
  401: 'Missing or invalid credential',
  403: 'Authenticated, but not allowed',
  404: "Not found, or not visible to the caller (another org's resources answer the same)",
  409: 'Conflicts with an existing resource',
  429: 'Too many requests; `retry-after` says how many seconds to wait',
};

const DEFAULT_ERRORS: readonly ErrorStatus[] = [400, 401, 403, 404, 409];
const PUBLIC_ERRORS: readonly ErrorStatus[] = [400, 401];

export function buildOpenApiDocument(routes: readonly RouteDoc[], version = '1'): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const spec of routes) {
    const errors: Record<string, Json> = {};
    for (const code of spec.errors ?? (spec.public ? PUBLIC_ERRORS : DEFAULT_ERRORS)) {
      errors[String(code)] = { description: STATUS_TEXT[code], content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    const operation: Json = {
      operationId: operationId(spec),
      summary: spec.summary,
      tags: [spec.tag],
      parameters: [...pathParameters(spec.path), ...queryParameters(spec.query)],
      responses: { [String(spec.status ?? 200)]: successResponse(spec), ...errors },
      ...(spec.public ? { security: [] } : {}),
      ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } } } : {}),
    };
    (paths[spec.path] ??= {})[spec.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Baimo admin API',
      version,
      description:
        'Orgs, members, users, API keys and console sign-in; usage reports and request logs; the model catalog, ' +
        'vendor keys and deployment health; knowledge bases. Errors use the OpenAI error shape.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { apiKey: [] }, { session: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'BAIMO_MASTER_KEY (operator) or a tenant key `sk-bm-…`' },
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        session: { type: 'apiKey', in: 'cookie', name: 'baimo_session' },
      },
      schemas: { Error: jsonSchema(errorSchema, 'output') },
    },
    paths,
  };
}

function successResponse(spec: RouteDoc): Json {
  if (!spec.response) return { description: 'Success (no body)' };
  const content: Json = { 'application/json': { schema: jsonSchema(spec.response, 'output') } };
  for (const alt of spec.alternatives ?? []) content[alt.mediaType] = { schema: alt.schema };
  return { description: 'Success', content };
}

function pathParameters(path: string): Json[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
}

/** One `in: query` parameter per property of the route's query object schema. */
function queryParameters(query: z.ZodType | undefined): Json[] {
  if (!query) return [];
  const schema = jsonSchema(query, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, { description, ...property }]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    ...(typeof description === 'string' ? { description } : {}),
    schema: property,
  }));
}

function operationId(spec: RouteDoc): string {
  const words = spec.path
    .replace(/^\/admin\/v1\//, '')
    .split('/')
    .filter(Boolean)
    .map((part) => part.replace(/[{}]/g, '').replace(/_(\w)/g, (_m, c: string) => c.toUpperCase()));
  return [spec.method.toLowerCase(), ...words.map((w) => w.charAt(0).toUpperCase() + w.slice(1))].join('');
}
