import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildOpenApiDocument, TENANCY_PUBLIC_PATHS, TENANCY_ROUTES, type RouteDoc } from '../../../src/tenancy/index.js';

type Doc = { openapi: string; info: { description: string }; paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> } };

describe('tenancy OpenAPI document', () => {
  const doc = buildOpenApiDocument(TENANCY_ROUTES) as Doc;

  it('is OpenAPI 3.1 and lists every route with its path parameters', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const route of TENANCY_ROUTES) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(names);
      expect(op.responses[String(route.status ?? 200)]).toBeDefined();
    }
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('renders the DESIGN §2a contract shapes from the zod schemas', () => {
    const createOrg = doc.paths['/admin/v1/orgs']!.post;
    expect(createOrg.requestBody.content['application/json'].schema).toMatchObject({ type: 'object', required: ['name'], additionalProperties: false });
    expect(createOrg.responses['201'].content['application/json'].schema.required).toEqual(expect.arrayContaining(['id', 'name']));
    const createKey = doc.paths['/admin/v1/orgs/{org_id}/keys']!.post;
    const body = createKey.requestBody.content['application/json'].schema;
    expect(Object.keys(body.properties).sort()).toEqual(['budget', 'budget_period', 'expires_at', 'max_concurrency', 'models', 'name', 'rpm', 'tpm']);
    expect(body.required).toEqual(['name']);
    expect(createKey.responses['201'].content['application/json'].schema.required).toEqual(expect.arrayContaining(['id', 'key', 'prefix']));
    expect(doc.paths['/admin/v1/keys/{key_id}']!.delete).toBeDefined();
    expect(doc.components.schemas.Error.properties.error.required).toEqual(['message', 'type', 'param', 'code']);
  });

  it('marks the public routes as needing no credential', () => {
    expect(TENANCY_PUBLIC_PATHS).toEqual(['/admin/v1/auth/login', '/admin/v1/auth/logout', '/admin/v1/openapi.json']);
    expect(doc.paths['/admin/v1/auth/login']!.post.security).toEqual([]);
    expect(doc.paths['/admin/v1/orgs']!.get.security).toBeUndefined();
  });
});

describe('routes of other modules in the OpenAPI document', () => {
  const query = z.strictObject({
    from: z.string().optional().describe('Start of the range'),
    group_by: z.union([z.string(), z.array(z.string())]).optional(),
    limit: z.string(),
  });
  const other: RouteDoc[] = [
    {
      method: 'GET',
      path: '/admin/v1/things',
      summary: 'Things',
      tag: 'things',
      query,
      response: z.looseObject({ data: z.array(z.string()) }),
      alternatives: [{ mediaType: 'text/csv', schema: { type: 'string' } }],
      errors: [400, 401, 403],
    },
    { method: 'DELETE', path: '/admin/v1/things/{thing_id}', summary: 'Forget a thing', tag: 'things', status: 204 },
  ];
  const doc = buildOpenApiDocument([...TENANCY_ROUTES, ...other]) as Doc;

  it('turns the query schema into query parameters, descriptions and requiredness included', () => {
    const op = doc.paths['/admin/v1/things']!.get;
    expect(op.parameters).toEqual([
      { name: 'from', in: 'query', required: false, description: 'Start of the range', schema: { type: 'string' } },
      { name: 'group_by', in: 'query', required: false, schema: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] } },
      { name: 'limit', in: 'query', required: true, schema: { type: 'string' } },
    ]);
    expect(op.operationId).toBe('getThings');
  });

  it('offers the alternative media types of the success answer, and lists only the errors the route can answer', () => {
    const op = doc.paths['/admin/v1/things']!.get;
    expect(Object.keys(op.responses['200'].content)).toEqual(['application/json', 'text/csv']);
    expect(op.responses['200'].content['text/csv'].schema).toEqual({ type: 'string' });
    expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '403']);
  });

  it('documents an answer without a body, with the default errors and path parameters', () => {
    const op = doc.paths['/admin/v1/things/{thing_id}']!.delete;
    expect(op.responses['204']).toEqual({ description: 'Success (no body)' });
    expect(Object.keys(op.responses).sort()).toEqual(['204', '400', '401', '403', '404', '409']);
    expect(op.parameters).toEqual([{ name: 'thing_id', in: 'path', required: true, schema: { type: 'string' } }]);
  });

  it("lists 429 where the route can answer it (the sign-in throttle), and no longer says it covers only tenancy", () => {
    const login = doc.paths['/admin/v1/auth/login']!.post;
    expect(Object.keys(login.responses).sort()).toEqual(['200', '400', '401', '429']);
    expect(login.responses['429'].description).toMatch(/retry-after/);
    expect(doc.paths['/admin/v1/orgs']!.get.responses['429']).toBeUndefined();
    expect(doc.info.description).toMatch(/usage/i);
    expect(doc.info.description).toMatch(/knowledge/i);
  });
});
