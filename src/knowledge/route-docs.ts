import { z } from 'zod';
import type { RouteDoc } from '../tenancy/index.js';
import { adminKbQuery } from './routes.js';

/**
 * The knowledge module's admin route for the OpenAPI document. The tenant API
 * (`/v1/knowledge_bases…`, docs/knowledge.md) is not part of the admin document.
 */

/** `kbView` (views.ts) as a schema; loose, since fields may be added. */
export const knowledgeBaseSchema = z.looseObject({
  id: z.string(),
  object: z.literal('knowledge_base'),
  org_id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  embedding_model: z.string(),
  embedding_dimensions: z.int().nullable().describe('Known once the first document is embedded'),
  chunking: z.looseObject({ max_tokens: z.int(), overlap_tokens: z.int() }),
  rerank_model: z.string().nullable(),
  document_count: z.int().describe('Documents ready for search'),
  chunk_count: z.int(),
  created_at: z.int().describe('Unix seconds'),
});

export const KNOWLEDGE_ROUTE_DOCS: readonly RouteDoc[] = [
  {
    method: 'GET',
    path: '/admin/v1/knowledge_bases',
    summary: "Knowledge bases across orgs (operator) or in the console user's orgs",
    tag: 'knowledge',
    query: adminKbQuery,
    response: z.looseObject({ object: z.literal('list'), data: z.array(knowledgeBaseSchema) }),
    errors: [400, 401, 403],
  },
];
