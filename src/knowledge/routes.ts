import { createHash } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ModelConfig } from '../config/types.js';
import { BaimoError, forbidden, invalidRequest } from '../protocol/errors.js';
import { validateBody } from '../protocol/validate-body.js';
import type { Principal } from '../tenancy/index.js';
import type { Knowledge } from './knowledge.js';
import { detectFormat, unsupportedDocument } from './parse/index.js';
import { documentNotFound, type KbDocument } from './store/document-repo.js';
import { kbNotFound, type KnowledgeBase } from './store/kb-repo.js';
import { documentView, kbView } from './views.js';

/**
 * Knowledge bases, documents and ingestion over HTTP (docs/knowledge.md). Every lookup is
 * scoped to the caller's orgs, so another org's KB or document is a 404, never a 403.
 * Search and chat, which call models on the caller's behalf, live with the other model-calling
 * routes in src/server/routes/knowledge-calls.ts.
 */

export interface KnowledgeRouteDeps {
  knowledge: Knowledge;
  findModel: (name: string) => ModelConfig | undefined;
  maxUploadBytes: number;
}

const WRITE_ROLES = new Set(['owner', 'admin', 'member']);
const NAME = z.string().trim().min(1).max(200);
const METADATA = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

const createKbBody = z.strictObject({
  name: z.string().trim().min(1).max(100).regex(/^[^/?#]+$/, 'must not contain /, ? or #'),
  description: z.string().max(2000).nullish(),
  embedding_model: z.string().min(1),
  chunking: z.strictObject({ max_tokens: z.number().int().min(50).max(8000).optional(), overlap_tokens: z.number().int().min(0).max(2000).optional() }).optional(),
  rerank_model: z.string().min(1).nullish(),
  org_id: z.string().min(1).optional(),
});

const patchKbBody = z.strictObject({
  name: createKbBody.shape.name.optional(),
  description: z.string().max(2000).nullish(),
  rerank_model: z.string().min(1).nullish(),
});

const urlBody = z.strictObject({ url: z.url({ protocol: /^https?$/ }), name: NAME.optional(), metadata: METADATA.optional() });

/** `GET /admin/v1/knowledge_bases`: other parameters are ignored, as they always were. */
export const adminKbQuery = z.object({ org_id: z.string().optional().describe("Only this org's knowledge bases (empty: every visible org)") });

/** Which orgs the caller sees (null = all: the operator) and whether it may change things in one. */
export interface KbAccess {
  orgIds: string[] | null;
  canWrite(orgId: string): boolean;
}

export function accessOf(principal: Principal, orgHeader: string | string[] | undefined): KbAccess {
  if (principal.kind === 'operator') return { orgIds: null, canWrite: () => true };
  if (principal.kind === 'key') return { orgIds: [principal.orgId], canWrite: (o) => o === principal.orgId };
  let roles = principal.roles;
  if (typeof orgHeader === 'string' && orgHeader) roles = roles.filter((r) => r.orgId === orgHeader);
  return { orgIds: roles.map((r) => r.orgId), canWrite: (o) => roles.some((r) => r.orgId === o && WRITE_ROLES.has(r.role)) };
}

/** The KB named in the path, if the caller may see it. */
export async function visibleKb(knowledge: Knowledge, request: FastifyRequest, ref: string): Promise<KnowledgeBase> {
  const access = accessOf(request.principal, request.headers['x-baimo-org']);
  const kb = await knowledge.kbs.find(ref, access.orgIds);
  if (!kb) throw kbNotFound(ref);
  return kb;
}

export function registerKnowledgeRoutes(app: FastifyInstance, deps: KnowledgeRouteDeps): void {
  const { knowledge } = deps;

  const requireModel = (name: string, capability: 'embeddings' | 'rerank', param: string) => {
    const model = deps.findModel(name);
    if (!model || !model.capabilities.includes(capability)) {
      throw invalidRequest(`'${name}' is not a published ${capability === 'embeddings' ? 'embeddings' : 'rerank'} model.`, param, 'model_not_found');
    }
  };
  const writableKb = async (request: FastifyRequest, ref: string) => {
    const kb = await visibleKb(knowledge, request, ref);
    if (!accessOf(request.principal, request.headers['x-baimo-org']).canWrite(kb.org_id)) throw forbidden('Your role in this organization cannot change its knowledge bases.');
    return kb;
  };
  const withStats = async (kbs: KnowledgeBase[]) => {
    const stats = await knowledge.kbs.stats(kbs.map((k) => k.id));
    return kbs.map((kb) => kbView(kb, stats.get(kb.id)));
  };

  app.post('/v1/knowledge_bases', async (request, reply) => {
    const body = validateBody(createKbBody, request.body);
    const access = accessOf(request.principal, request.headers['x-baimo-org']);
    let orgId: string;
    if (access.orgIds === null) {
      if (!body.org_id) throw invalidRequest('Say which organization the knowledge base belongs to: org_id.', 'org_id', 'missing_required_parameter');
      orgId = body.org_id;
    } else {
      if (body.org_id && !access.orgIds.includes(body.org_id)) throw new BaimoError('not_found', `No organization '${body.org_id}' is visible to you.`, { status: 404, code: 'not_found', param: 'org_id' });
      const candidates = body.org_id ? [body.org_id] : access.orgIds;
      if (candidates.length !== 1) throw invalidRequest('Say which organization the knowledge base belongs to: x-baimo-org or org_id.', 'org_id', 'missing_required_parameter');
      orgId = candidates[0]!;
    }
    if (!access.canWrite(orgId)) throw forbidden('Your role in this organization cannot create knowledge bases.');
    requireModel(body.embedding_model, 'embeddings', 'embedding_model');
    if (body.rerank_model) requireModel(body.rerank_model, 'rerank', 'rerank_model');
    const maxTokens = body.chunking?.max_tokens ?? 400;
    const overlap = body.chunking?.overlap_tokens ?? Math.min(60, Math.floor(maxTokens / 4));
    if (overlap * 2 > maxTokens) throw invalidRequest('chunking.overlap_tokens must be at most half of chunking.max_tokens.', 'chunking.overlap_tokens');
    const kb = await knowledge.kbs.create({
      orgId,
      name: body.name,
      description: body.description ?? null,
      embeddingModel: body.embedding_model,
      maxTokens,
      overlapTokens: overlap,
      rerankModel: body.rerank_model ?? null,
    });
    return reply.code(201).send(kbView(kb));
  });

  app.get('/v1/knowledge_bases', async (request) => {
    const access = accessOf(request.principal, request.headers['x-baimo-org']);
    return { object: 'list', data: await withStats(await knowledge.kbs.list(access.orgIds)) };
  });

  app.get('/admin/v1/knowledge_bases', async (request) => {
    if (request.principal.kind === 'key') throw forbidden('API keys cannot use the admin API; use GET /v1/knowledge_bases.');
    const access = accessOf(request.principal, undefined);
    const orgId = validateBody(adminKbQuery, request.query).org_id;
    let orgIds = access.orgIds;
    if (orgId) orgIds = orgIds === null || orgIds.includes(orgId) ? [orgId] : [];
    return { object: 'list', data: await withStats(await knowledge.kbs.list(orgIds)) };
  });

  app.get('/v1/knowledge_bases/:kb', async (request) => {
    const kb = await visibleKb(knowledge, request, (request.params as { kb: string }).kb);
    return (await withStats([kb]))[0];
  });

  app.patch('/v1/knowledge_bases/:kb', async (request) => {
    const body = validateBody(patchKbBody, request.body);
    const kb = await writableKb(request, (request.params as { kb: string }).kb);
    if (body.rerank_model) requireModel(body.rerank_model, 'rerank', 'rerank_model');
    const updated = await knowledge.kbs.update(kb, { name: body.name, description: body.description, rerankModel: body.rerank_model });
    return (await withStats([updated]))[0];
  });

  app.delete('/v1/knowledge_bases/:kb', async (request) => {
    const kb = await writableKb(request, (request.params as { kb: string }).kb);
    await knowledge.kbs.delete(kb);
    return { id: kb.id, object: 'knowledge_base.deleted', deleted: true };
  });

  const documentOf = async (request: FastifyRequest, write: boolean): Promise<KbDocument> => {
    const { kb: ref, doc: docId } = request.params as { kb: string; doc: string };
    const kb = write ? await writableKb(request, ref) : await visibleKb(knowledge, request, ref);
    const doc = await knowledge.docs.get(docId);
    if (!doc || doc.kb_id !== kb.id) throw documentNotFound(docId);
    return doc;
  };

  app.get('/v1/knowledge_bases/:kb/documents', async (request) => {
    const kb = await visibleKb(knowledge, request, (request.params as { kb: string }).kb);
    const status = (request.query as Record<string, unknown>).status;
    return { object: 'list', data: (await knowledge.docs.list(kb.id, typeof status === 'string' ? status : undefined)).map(documentView) };
  });

  app.get('/v1/knowledge_bases/:kb/documents/:doc', async (request) => documentView(await documentOf(request, false)));

  app.delete('/v1/knowledge_bases/:kb/documents/:doc', async (request) => {
    const doc = await documentOf(request, true);
    await knowledge.docs.delete(doc);
    return { id: doc.id, object: 'knowledge_base.document.deleted', deleted: true };
  });

  // Uploads: multipart only in this scope, with its own size limit.
  app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: deps.maxUploadBytes, files: 1, fields: 10, fieldSize: 64 * 1024 } });
    scope.post('/v1/knowledge_bases/:kb/documents', async (request, reply) => {
      const kb = await writableKb(request, (request.params as { kb: string }).kb);
      const input = request.isMultipart() ? await readUpload(request, deps.maxUploadBytes) : readUrlBody(request.body);
      let doc: KbDocument;
      if (input.bytes) {
        const contentHash = createHash('sha256').update(input.bytes).digest('hex');
        const same = await knowledge.docs.findSame(kb.id, input.name, contentHash);
        if (same) return reply.code(200).send(documentView(same));
        const format = detectFormat({ bytes: input.bytes, filename: input.name, contentType: input.contentType });
        if (!format) throw unsupportedDocument(`'${input.name}' is not a supported document (txt, md, html, pdf, docx, csv, json).`);
        doc = await knowledge.docs.create({ kbId: kb.id, orgId: kb.org_id, name: input.name, source: 'upload', metadata: input.metadata, bytes: input.bytes, contentHash, format }, knowledge.enqueueIngest);
      } else {
        doc = await knowledge.docs.create({ kbId: kb.id, orgId: kb.org_id, name: input.name, source: input.url!, metadata: input.metadata }, knowledge.enqueueIngest);
      }
      knowledge.queue.wake();
      return reply.code(202).send(documentView(doc));
    });
  });
}

interface DocumentInputFields {
  name: string;
  metadata: Record<string, string | number | boolean>;
  bytes?: Buffer;
  contentType?: string;
  url?: string;
}

function readUrlBody(body: unknown): DocumentInputFields {
  const parsed = validateBody(urlBody, body);
  const url = new URL(parsed.url);
  const last = url.pathname.split('/').filter(Boolean).at(-1) ?? '';
  let fallback: string;
  try {
    fallback = decodeURIComponent(last) || url.hostname;
  } catch {
    fallback = last || url.hostname; // a stray % in the path: keep it as written
  }
  return { name: parsed.name ?? fallback, metadata: parsed.metadata ?? {}, url: url.href };
}

async function readUpload(request: FastifyRequest, maxBytes: number): Promise<DocumentInputFields> {
  const fields: Record<string, string> = {};
  let file: { filename: string; mimetype: string; bytes: Buffer } | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || file) throw invalidRequest('Send exactly one file, in the form field "file".', part.fieldname);
        file = { filename: part.filename, mimetype: part.mimetype, bytes: await part.toBuffer() };
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new BaimoError('validation', `The file exceeds the upload limit of ${maxBytes} bytes.`, { status: 413, code: 'request_too_large', param: 'file' });
    }
    throw err;
  }
  if (!file) throw invalidRequest('Send the document in the form field "file".', 'file', 'missing_required_parameter');
  let metadata: Record<string, string | number | boolean> = {};
  if (fields.metadata) {
    let raw: unknown;
    try {
      raw = JSON.parse(fields.metadata);
    } catch {
      throw invalidRequest('metadata must be a JSON object.', 'metadata');
    }
    const parsed = METADATA.safeParse(raw);
    if (!parsed.success) throw invalidRequest('metadata must be a JSON object of strings, numbers and booleans.', 'metadata');
    metadata = parsed.data;
  }
  const name = NAME.safeParse(fields.name ?? file.filename);
  if (!name.success) throw invalidRequest('The document needs a name (the file name, or the form field "name").', 'name');
  return { name: name.data, metadata, bytes: file.bytes, contentType: file.mimetype === 'application/octet-stream' ? undefined : file.mimetype };
}
