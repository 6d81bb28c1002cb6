import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, TENANCY_PUBLIC_PATHS, TENANCY_ROUTES } from '../../../src/tenancy/index.js';

type Doc = { openapi: string; paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> } };

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
    expect(Object.keys(body.properties).sort()).toEqual(['budget', 'expires_at', 'max_concurrency', 'models', 'name', 'rpm', 'tpm']);
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
