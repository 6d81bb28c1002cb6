import { Ajv2020 } from 'ajv/dist/2020.js';

/**
 * Helpers for checking the admin OpenAPI document against a running server: the routes Fastify
 * registered (from `app.printRoutes()`), and a JSON Schema validator that also refuses fields the
 * document does not name.
 */

/** `GET /admin/v1/logs/{id}`-style keys of every route in a `printRoutes({ commonPrefix: false })` tree, HEAD left out. */
export function registeredRoutes(tree: string): string[] {
  const parents: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    const path = (parents[depth - 1] ?? '') + m[2]!;
    parents[depth] = path;
    parents.length = depth + 1;
    for (const method of (m[3] ?? '').split(', ').filter((x) => x && x !== 'HEAD')) {
      routes.push(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return routes.sort();
}

/**
 * The schema with `additionalProperties: false` on every object that lists properties: the live
 * answer may carry only fields the document names, so a field the handler adds without its
 * schema fails the check (the served schemas stay loose for clients).
 */
export function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) out[key] = closed(value);
  // (No documented object has a field named `properties`, so this key is always the keyword.)
  if (typeof out.properties === 'object' && out.properties !== null) out.additionalProperties = false;
  return out;
}

/** Validates values against JSON Schema 2020-12 (what OpenAPI 3.1 and zod's toJSONSchema use). */
export function createValidator(): (schema: unknown, value: unknown) => string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)));
  return (schema, value) => {
    const validate = ajv.compile(schema as object);
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  };
}
