/**
 * Loading the platform configuration:
 *   baimo.yaml (optional) → YAML parse → `${ENV}` expansion → schema → defaults, kinds, built-in
 *   catalog, cross-references → env overrides → command-line overrides → PlatformConfig.
 * Any problem throws one ConfigError listing every issue with its file and path; the start stops.
 * Everything that varies (environment, kind resolver, catalog, file reader, working directory,
 * warning sink) is passed in: nothing here reads `process.env`.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BUILTIN_CATALOG, type CatalogVendor } from '../providers/catalog/index.js';
import type { PlatformConfig } from './types.js';
import type { ResolveKind } from './kinds.js';
import { ConfigError, ConfigWarning, emitWarning, formatConfigPath, type ConfigIssue, type WarnFn } from './errors.js';
import { expandEnvReferences, hasEnvReference, type Env, type PathIssue } from './expand-env.js';
import { parseYaml, type SourcePosition } from './parse-yaml.js';
import { fileConfigSchema } from './schema.js';
import { describeValue, describeZodIssues } from './describe-zod-issues.js';
import { buildPlatformConfig } from './build-config.js';
import { applyServerOverrides, type CliOverrides } from './apply-overrides.js';

export interface ParseConfigOptions {
  /** The process environment (or a test's), for `${ENV}`, catalog keys and BAIMO_* overrides. */
  env: Env;
  /** Kind → adapter family, vendor, default base URL and key variable (built from the vendor table). */
  resolveKind: ResolveKind;
  /** Command-line flags; they win over the file and the environment. */
  overrides?: CliOverrides;
  /** Receives warnings (literal secrets, catalog notes). Pass the logger; the default drops them. */
  warn?: WarnFn;
  /** Built-in model catalog; tests pass a small one. */
  catalog?: readonly CatalogVendor[];
}

export interface LoadConfigOptions extends ParseConfigOptions {
  /** `--config`; else BAIMO_CONFIG; else `baimo.yaml` in `cwd` if it exists; else no file. */
  path?: string;
  cwd?: string;
  readFile?: (path: string) => string;
}

export interface ConfigSource {
  /** As shown in messages (the path as the operator wrote it). */
  file: string;
  text: string;
  /** Absolute directory of the file; relative GGUF paths of `kind: local` deployments resolve against it. */
  dir?: string;
}

export const DEFAULT_CONFIG_FILE = 'baimo.yaml';
const NO_FILE = 'defaults';

export function loadConfig(opts: LoadConfigOptions): PlatformConfig {
  return parseConfig(readConfigSource(opts), opts);
}

/** Finds and reads the config file; `undefined` when none is named and `baimo.yaml` is absent. */
export function readConfigSource(opts: Pick<LoadConfigOptions, 'path' | 'env' | 'cwd' | 'readFile'>): ConfigSource | undefined {
  const cwd = opts.cwd ?? process.cwd();
  const readFile = opts.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const named = nonEmpty(opts.path) ?? nonEmpty(opts.env.BAIMO_CONFIG);
  const file = named ?? DEFAULT_CONFIG_FILE;
  try {
    const absolute = resolve(cwd, file);
    return { file, text: readFile(absolute), dir: dirname(absolute) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && named === undefined) return undefined;
    const message = code === 'ENOENT' ? 'config file not found' : `cannot read config file: ${(error as Error).message}`;
    throw new ConfigError(file, [{ path: '', message }], { cause: error });
  }
}

/** The whole pipeline on text already read (or on no file at all). Pure apart from `warn`. */
export function parseConfig(source: ConfigSource | undefined, opts: ParseConfigOptions): PlatformConfig {
  const file = source?.file ?? NO_FILE;
  const warn = opts.warn ?? (() => undefined);
  let data: unknown = {};
  let locate: (at: readonly (string | number)[]) => SourcePosition | undefined = () => undefined;
  if (source !== undefined) {
    const parsed = parseYaml(source.text);
    if (!parsed.ok) throw new ConfigError(file, parsed.issues);
    data = parsed.data ?? {};
    locate = parsed.locate;
  }
  const fail = (issues: readonly PathIssue[], extra: readonly ConfigIssue[] = []): never => {
    const located = issues.map((issue): ConfigIssue => ({ path: formatConfigPath(issue.at), message: issue.message, ...locate(issue.at) }));
    throw new ConfigError(file, [...byLine(located), ...extra]);
  };

  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return fail([{ at: [], message: `the top level must be a mapping (providers:, models:, …), got ${describeValue(data)}` }]);
  }
  warnLiteralSecrets(data, file, warn);

  const expansionIssues: PathIssue[] = [];
  const expanded = expandEnvReferences(data, opts.env, expansionIssues);
  if (expansionIssues.length > 0) return fail(expansionIssues);

  const parsed = fileConfigSchema.safeParse(expanded, { reportInput: true });
  if (!parsed.success) return fail(describeZodIssues(parsed.error));

  const built = buildPlatformConfig(parsed.data, {
    env: opts.env,
    resolveKind: opts.resolveKind,
    catalog: opts.catalog ?? BUILTIN_CATALOG,
    source: file,
    configDir: source === undefined ? undefined : source.dir ?? dirname(resolve(source.file)),
    warn,
  });
  const overridden = applyServerOverrides(built.config.server, opts.env, opts.overrides);
  if (built.issues.length > 0 || overridden.issues.length > 0) return fail(built.issues, overridden.issues);
  return { ...built.config, server: overridden.server };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** File order reads best; issues without a line (e.g. from env) keep their order at the end. */
function byLine(issues: readonly ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => (a.line ?? Number.POSITIVE_INFINITY) - (b.line ?? Number.POSITIVE_INFINITY));
}

/** Provider fields that hold secrets (`aws_*`: kind bedrock). */
const SECRET_FIELDS = ['api_key', 'aws_secret_access_key', 'aws_session_token'] as const;

/** `api_key: sk-…` written out in the file works, but it is the classic leaked-secret commit. */
function warnLiteralSecrets(data: object, file: string, warn: WarnFn): void {
  const providers = (data as { providers?: unknown }).providers;
  if (!Array.isArray(providers)) return;
  providers.forEach((provider: unknown, index) => {
    for (const field of SECRET_FIELDS) {
      const secret = (provider as Record<string, unknown> | null)?.[field];
      if (typeof secret !== 'string' || secret === '' || hasEnvReference(secret)) continue;
      emitWarning(
        warn,
        new ConfigWarning(
          file,
          `providers[${index}].${field}`,
          'is a literal secret; use an ${ENV} reference such as ${MY_VENDOR_KEY} (never commit literal secrets)',
        ),
      );
    }
  });
}
