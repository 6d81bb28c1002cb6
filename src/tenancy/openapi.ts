import { z } from 'zod';
import type { RouteSpec } from './route-spec.js';
import { errorSchema } from './schemas.js';

/**
 * The admin API's OpenAPI 3.1 document, generated from the same route list and zod schemas the
 * server validates with (OpenAPI 3.1 uses JSON Schema 2020-12, zod's default target). Other
 * modules' admin routes can be passed in as further RouteSpecs.
 */

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid input; `error.param` names the field',
  401: 'Missing or invalid credential',
  403: 'Authenticated, but not allowed',
  404: "Not found, or not visible to the caller (another org's resources answer the same)",
  409: 'Conflicts with an existing resource',
};

export function buildOpenApiDocument(routes: readonly RouteSpec[], version = '1'): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const spec of routes) {
    const status = spec.status ?? 200;
    const errors: Record<string, Json> = {};
    for (const code of spec.public ? [400, 401] : [400, 401, 403, 404, 409]) {
      errors[String(code)] = { description: STATUS_TEXT[code], content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    const operation: Json = {
      operationId: operationId(spec),
      summary: spec.summary,
      tags: [spec.tag],
      parameters: [...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
      responses: {
        [String(status)]: { description: 'Success', content: { 'application/json': { schema: jsonSchema(spec.response, 'output') } } },
        ...errors,
      },
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
      description: 'Orgs, members, users, API keys and console sign-in. Errors use the OpenAI error shape.',
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

function operationId(spec: RouteSpec): string {
  const words = spec.path
    .replace(/^\/admin\/v1\//, '')
    .split('/')
    .map((part) => part.replace(/[{}]/g, '').replace(/_(\w)/g, (_m, c: string) => c.toUpperCase()));
  return [spec.method.toLowerCase(), ...words.map((w) => w.charAt(0).toUpperCase() + w.slice(1))].join('');
}
