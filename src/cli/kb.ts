import { parseArgs, type ParseArgsConfig } from 'node:util';
import { connect, CONNECTION_OPTIONS, guard, integer, printJson, printTable, resolveOrg, usage, UsageError, type Env } from '../tenancy/cli.js';
import type { AdminClient } from '../tenancy/cli-client.js';
import { evaluate } from './kb-eval.js';
import { ingest } from './kb-ingest.js';
import { defaultKbIo, kbPath, type KbCliIo, type KnowledgeBaseJson, type SearchHitJson } from './kb-support.js';

/** `baimo kb`: knowledge bases through a running server's `/v1/knowledge_bases` API (docs/knowledge.md). */

export type { KbCliIo } from './kb-support.js';

const CONNECTION = `Connection:
      --url <url>       Server (default http://127.0.0.1:4000; env BAIMO_URL)
      --key <key>       API key (default env BAIMO_API_KEY, else BAIMO_MASTER_KEY, else <data dir>/master.key)
  -d, --data <dir>      Data directory holding master.key (default ./.baimo; env BAIMO_DATA_DIR)
  -h, --help            Show this help
`;

const KB = 'KB is a knowledge base id (kb_…) or its name (with the master key: when no two orgs use that name).';

export const KB_HELP = `Usage: baimo kb <command> [options]

Commands:
  create NAME --embedding-model M     Create a knowledge base
  list                                List knowledge bases
  ingest PATH... --kb KB              Add files, directories (recursively) or http(s) URLs; waits
                                      until every document is ready or failed
  search --kb KB "query"              Search a knowledge base
  eval --kb KB --queries Q --qrels R  Retrieval quality (recall@k, MRR@10, nDCG@10) of each search mode
  delete KB                           Delete a knowledge base and its documents

${KB}
Run 'baimo kb <command> --help' for a command's options.

${CONNECTION}`;

const HELP: Record<string, string> = {
  create: `Usage: baimo kb create NAME --embedding-model M [options]

      --embedding-model <m>   Embedding model (a model this server publishes); required
      --description <text>    Description
      --max-tokens <n>        Chunk size in tokens (server default 400)
      --overlap <n>           Tokens shared by neighbouring chunks (server default 60)
      --rerank-model <m>      Rerank model used by search by default
      --org <org>             Owning org, id or name (with the master key only; required then)
      --json                  Print the API's JSON answer

${CONNECTION}`,
  list: `Usage: baimo kb list [--json]\n\n      --json                  Print the API's JSON answer\n\n${CONNECTION}`,
  ingest: `Usage: baimo kb ingest PATH... --kb KB [--json]

Uploads each file (4 at a time), every txt, md, markdown, html, htm, pdf, docx, csv and json file under
each directory (recursively, hidden files skipped; named by their path under the directory), and
each http(s) URL, then waits until every document is ready or failed: a progress bar on a terminal,
plain lines otherwise. Prints a summary; exits 1 when any document failed.

      --kb <kb>               Knowledge base; required
      --json                  Print the final document objects as JSON

${KB}

${CONNECTION}`,
  search: `Usage: baimo kb search --kb KB "query" [options]

      --kb <kb>               Knowledge base; required
      --top-k <n>             Hits, 1-50 (server default 5)
      --mode <mode>           hybrid (default), vector or keyword
      --rerank                Rerank the hits (server default: when the KB has a rerank model)
      --no-rerank             Do not rerank
      --json                  Print the API's JSON answer

${KB}

${CONNECTION}`,
  eval: `Usage: baimo kb eval --kb KB --queries q.jsonl --qrels qrels.tsv [--k 10] [--json]

Runs every judged query through search in the keyword, vector, hybrid and hybrid+rerank modes
(hybrid+rerank only when the KB has a rerank model) and prints recall@k, MRR@10 and nDCG@10.

      --kb <kb>               Knowledge base; required
      --queries <file>        JSON lines {"_id": "q1", "text": "…"} (or "id" / "query"); required
      --qrels <file>          TREC/BEIR qrels: query-id, corpus-id, score (tab-separated, optional
                              header) or the 4-column TREC form; required. A corpus-id matches a
                              hit's document name (with or without its extension), document id or
                              chunk id. Queries without a relevant (score > 0) judgment are skipped.
      --k <n>                 Recall cut-off, 1-50 (default 10); searches use top_k max(k, 10)
      --json                  Print the numbers, with per-query scores, as JSON

${KB}

${CONNECTION}`,
  delete: `Usage: baimo kb delete KB [--json]\n\nDeletes the knowledge base, its documents and their chunks.\n\n${KB}\n\n${CONNECTION}`,
};

const KB_OPTION = { kb: { type: 'string' } } as const;

const OPTIONS = {
  create: { ...CONNECTION_OPTIONS, 'embedding-model': { type: 'string' }, description: { type: 'string' }, 'max-tokens': { type: 'string' }, overlap: { type: 'string' }, 'rerank-model': { type: 'string' }, org: { type: 'string' } },
  list: { ...CONNECTION_OPTIONS },
  ingest: { ...CONNECTION_OPTIONS, ...KB_OPTION },
  search: { ...CONNECTION_OPTIONS, ...KB_OPTION, 'top-k': { type: 'string' }, mode: { type: 'string' }, rerank: { type: 'boolean' }, 'no-rerank': { type: 'boolean' } },
  eval: { ...CONNECTION_OPTIONS, ...KB_OPTION, queries: { type: 'string' }, qrels: { type: 'string' }, k: { type: 'string' } },
  delete: { ...CONNECTION_OPTIONS },
} as const;

type Command = keyof typeof OPTIONS;
const ALL_OPTIONS = Object.assign({}, ...Object.values(OPTIONS)) as (typeof OPTIONS)[Command];

function isCommand(name: string | undefined): name is Command {
  return name !== undefined && Object.hasOwn(OPTIONS, name);
}

/** The subcommand: the first positional, whatever options come before it. */
function commandOf(argv: string[]): string | undefined {
  try {
    return parseArgs({ args: argv, options: ALL_OPTIONS, allowPositionals: true, strict: false }).positionals[0];
  } catch {
    return undefined;
  }
}

/** Strict parsing; a bad option is a usage error (exit 2, with the help). */
function parseStrict(argv: string[], options: NonNullable<ParseArgsConfig['options']>): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** `baimo kb …`: exit 0 on success, 1 when the server refuses or a document fails, 2 on a bad command line. */
export async function runKbCommand(argv: string[], env: Env, io: KbCliIo = defaultKbIo()): Promise<number> {
  const command = commandOf(argv);
  const known = isCommand(command);
  return guard(io, known ? `kb ${command}` : 'kb', known ? HELP[command]! : KB_HELP, async () => {
    if (!known) {
      if (command !== undefined) throw new UsageError(`unknown command '${command}'.`);
      parseStrict(argv, CONNECTION_OPTIONS);
      return usage(io, KB_HELP, !argv.includes('--help') && !argv.includes('-h'));
    }
    const { values: opts, positionals } = parseStrict(argv, OPTIONS[command]);
    const rest = positionals.slice(1);
    if (opts.help) return usage(io, HELP[command]!, false);
    const apiKey = env.BAIMO_API_KEY?.trim();
    const connection = { url: opts.url as string | undefined, key: (opts.key as string | undefined) ?? (apiKey || undefined), data: opts.data as string | undefined };
    const json = opts.json === true;
    const kb = (): string => {
      if (typeof opts.kb !== 'string' || opts.kb === '') throw new UsageError('--kb is required.');
      return opts.kb;
    };
    const noMore = (max: number, what: string) => {
      if (rest.length > max) throw new UsageError(`unexpected argument '${rest[max]}'${what ? `; ${what}` : ''}.`);
    };

    switch (command) {
      case 'create': {
        if (rest.length !== 1) throw new UsageError('kb create takes exactly one NAME.');
        const model = opts['embedding-model'];
        if (typeof model !== 'string' || model === '') throw new UsageError('--embedding-model is required.');
        const body: Record<string, unknown> = { name: rest[0], embedding_model: model };
        if (typeof opts.description === 'string') body.description = opts.description;
        const chunking: Record<string, number> = {};
        if (typeof opts['max-tokens'] === 'string') chunking.max_tokens = integer('--max-tokens', opts['max-tokens']);
        if (typeof opts.overlap === 'string') chunking.overlap_tokens = nonNegative('--overlap', opts.overlap);
        if (Object.keys(chunking).length > 0) body.chunking = chunking;
        if (typeof opts['rerank-model'] === 'string') body.rerank_model = opts['rerank-model'];
        const client = connect(connection, env, io);
        if (typeof opts.org === 'string') body.org_id = await resolveOrg(client, opts.org);
        const created = await client.call<KnowledgeBaseJson>('POST', '/v1/knowledge_bases', body);
        if (json) return printJson(io, created);
        io.stdout(`Created knowledge base ${created.id} (${created.name}).\n`);
        return 0;
      }
      case 'list': {
        noMore(0, 'kb list takes no arguments');
        const { data } = await connect(connection, env, io).call<{ data: Record<string, unknown>[] }>('GET', '/v1/knowledge_bases');
        if (json) return printJson(io, { data });
        const rows = data.map((k) => ({ ...k, chunking: chunkingText(k.chunking) }));
        printTable(io, ['ID', 'NAME', 'EMBEDDING MODEL', 'RERANK MODEL', 'CHUNKING', 'DOCUMENTS', 'CHUNKS'], rows, ['id', 'name', 'embedding_model', 'rerank_model', 'chunking', 'document_count', 'chunk_count']);
        return 0;
      }
      case 'ingest':
        return ingest(connect(connection, env, io), io, kb(), rest, json);
      case 'search':
        return search(connect(connection, env, io), io, kb(), rest, opts, json);
      case 'eval': {
        noMore(0, 'kb eval reads its queries from --queries');
        const name = kb();
        if (typeof opts.queries !== 'string') throw new UsageError('--queries is required.');
        if (typeof opts.qrels !== 'string') throw new UsageError('--qrels is required.');
        const k = typeof opts.k === 'string' ? integer('--k', opts.k) : 10;
        return evaluate(connect(connection, env, io), io, name, { queries: opts.queries, qrels: opts.qrels, k, json });
      }
      case 'delete': {
        if (rest.length !== 1) throw new UsageError('kb delete takes exactly one KB.');
        const deleted = await connect(connection, env, io).call<{ id: string }>('DELETE', kbPath(rest[0]!));
        if (json) return printJson(io, deleted);
        io.stdout(`Deleted knowledge base ${deleted.id}.\n`);
        return 0;
      }
    }
  });
}

async function search(client: AdminClient, io: KbCliIo, kb: string, rest: string[], opts: Record<string, string | boolean | undefined>, json: boolean): Promise<number> {
  if (rest.length !== 1) throw new UsageError(rest.length === 0 ? 'kb search takes the query, one argument (quote it).' : `kb search takes one query; quote it ("${rest.join(' ')}").`);
  if (opts.rerank && opts['no-rerank']) throw new UsageError('--rerank and --no-rerank contradict each other.');
  const body: Record<string, unknown> = { query: rest[0] };
  if (typeof opts['top-k'] === 'string') {
    const n = integer('--top-k', opts['top-k']);
    if (n > 50) throw new UsageError(`--top-k: at most 50.`);
    body.top_k = n;
  }
  if (typeof opts.mode === 'string') {
    if (!['hybrid', 'vector', 'keyword'].includes(opts.mode)) throw new UsageError(`--mode: '${opts.mode}' is not hybrid, vector or keyword.`);
    body.mode = opts.mode;
  }
  if (opts.rerank) body.rerank = true;
  if (opts['no-rerank']) body.rerank = false;
  const answer = await client.call<{ data: SearchHitJson[]; model?: string }>('POST', kbPath(kb, '/search'), body);
  if (json) return printJson(io, answer);
  if (answer.data.length === 0) {
    io.stdout('(no results)\n');
    return 0;
  }
  answer.data.forEach((hit, i) => {
    const where = [hit.citation?.page != null ? `p. ${hit.citation.page}` : '', (hit.citation?.heading_path ?? []).join(' › ')].filter(Boolean).join(', ');
    const scores = Object.entries(hit.scores ?? {})
      .map(([name, value]) => `${name} ${round(value)}`)
      .join(', ');
    io.stdout(`${i + 1}. ${hit.document_name}${where ? ` (${where})` : ''}  score ${round(hit.score)}${scores ? ` [${scores}]` : ''}\n`);
    io.stdout(`   ${snippet(hit.text)}\n   ${hit.chunk_id} · ${hit.document_id}\n\n`);
  });
  return 0;
}

function nonNegative(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < 0) throw new UsageError(`${flag}: '${text}' is not a whole number.`);
  return n;
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(4);
}

function snippet(text: string, max = 240): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function chunkingText(value: unknown): string | null {
  const c = value as { max_tokens?: number; overlap_tokens?: number } | null | undefined;
  return c ? `${c.max_tokens ?? '?'}/${c.overlap_tokens ?? '?'}` : null;
}
