import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { invalidRequest } from '../protocol/errors.js';
import type { AuthenticateRequest } from './authenticate-request.js';
import type { Principal } from './principal.js';
import type { Tenancy } from './tenancy.js';

/**
 * An admin route as data: method, path, schemas and handler in one value, so the Fastify
 * registration and the OpenAPI document are generated from the same list and cannot disagree.
 * `run` authenticates (unless public), validates the body, then calls the handler.
 */

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Error statuses the OpenAPI document can list for a route. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 429;

/**
 * What the OpenAPI document says about one route. Any module describes its admin routes this
 * way, with the zod schemas its handlers parse with, and the server passes them all to
 * `buildOpenApiDocument`.
 */
export interface RouteDoc {
  method: Method;
  /** OpenAPI form: `/admin/v1/orgs/{org_id}`. */
  path: string;
  summary: string;
  tag: string;
  /** The object schema the handler parses `request.query` with; each property is a query parameter. */
  query?: z.ZodType;
  body?: z.ZodType;
  /** The JSON answer; absent when the success answer has no body (204). */
  response?: z.ZodType;
  /** Success status (201 for creations, 204 for no body). */
  status?: number;
  /** The same success answer in other media types, such as `text/csv` (as JSON Schema). */
  alternatives?: readonly { mediaType: string; schema: Record<string, unknown> }[];
  /** Needs no credential. */
  public?: boolean;
  /** The error statuses the route can answer; default 400, 401 (public) or 400, 401, 403, 404, 409. */
  errors?: readonly ErrorStatus[];
}

export interface RouteMeta extends RouteDoc {
  tag: 'orgs' | 'keys' | 'members' | 'users' | 'auth';
  response: z.ZodType;
}

export interface RouteEnv {
  request: FastifyRequest;
  reply: FastifyReply;
  tenancy: Tenancy;
  authorize: AuthenticateRequest;
}

export interface PublicContext<B> {
  body: B;
  params: Record<string, string>;
  tenancy: Tenancy;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteContext<B> extends PublicContext<B> {
  principal: Principal;
}

export interface RouteSpec extends RouteMeta {
  public: boolean;
  run(env: RouteEnv): Promise<unknown>;
}

type BodyOf<M extends RouteMeta> = M['body'] extends z.ZodType ? z.infer<M['body']> : undefined;

export function route<M extends RouteMeta>(meta: M, handle: (ctx: RouteContext<BodyOf<M>>) => Promise<unknown>): RouteSpec {
  return {
    ...meta,
    public: false,
    async run({ request, reply, tenancy, authorize }) {
      const principal = await authorize(request);
      const body = (meta.body ? validateBody(meta.body, request.body) : undefined) as BodyOf<M>;
      return handle({ principal, body, params: request.params as Record<string, string>, tenancy, request, reply });
    },
  };
}

/** No credential needed (sign-in, sign-out). */
export function publicRoute<M extends RouteMeta>(meta: M, handle: (ctx: PublicContext<BodyOf<M>>) => Promise<unknown>): RouteSpec {
  return {
    ...meta,
    public: true,
    async run({ request, reply, tenancy }) {
      const body = (meta.body ? validateBody(meta.body, request.body) : undefined) as BodyOf<M>;
      return handle({ body, params: request.params as Record<string, string>, tenancy, request, reply });
    },
  };
}

/** Zod's first issue as a 400 that names the parameter the way OpenAI does (`models[1]`). */
export function validateBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('The request body must be a JSON object.', null, 'invalid_request');
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const param = formatPath([...issue.path, issue.keys[0]!]);
    throw invalidRequest(`Unknown parameter: '${param}'.`, param, 'unknown_parameter');
  }
  const param = formatPath(issue.path);
  if (issue.code === 'invalid_type' && valueAt(body, issue.path) === undefined) {
    throw invalidRequest(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
  }
  throw invalidRequest(`Invalid value for '${param}': ${issue.message}.`, param, 'invalid_value');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out || '(body)';
}
