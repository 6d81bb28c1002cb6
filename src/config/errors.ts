/**
 * Config problems name where they are: the file (or `env` / `command line`) and the path inside it,
 * e.g. `baimo.yaml: models[2].deployments[0].provider: unknown provider 'vlm' (known: local-vllm)`.
 * A ConfigError stops the start (house rule 9); a ConfigWarning is reported through the injected
 * `warn` callback and the start goes on.
 */

export type PathSegment = string | number;

/** One problem found while loading. `line`/`column` point into the YAML file when known (1-based). */
export interface ConfigIssue {
  /** Rendered config path (`providers[0].base_url`); empty for whole-file problems such as YAML syntax. */
  path: string;
  message: string;
  line?: number;
  column?: number;
  /** Overrides the error's file for this issue (env overrides report `env`). */
  file?: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `['models', 2, 'deployments', 0, 'provider']` → `models[2].deployments[0].provider`. */
export function formatConfigPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** `file: path: message`, or `file:line:col: message` for whole-file (syntax) problems. */
export function formatIssue(file: string, issue: ConfigIssue): string {
  const where = issue.file ?? file;
  if (issue.path !== '') return `${where}: ${issue.path}: ${issue.message}`;
  if (issue.line !== undefined) return `${where}:${issue.line}:${issue.column ?? 1}: ${issue.message}`;
  return `${where}: ${issue.message}`;
}

/**
 * The loader's only error. `message` is the first issue on one line; further issues follow on their
 * own lines so an operator fixes a file in one round.
 */
export class ConfigError extends Error {
  readonly file: string;
  /** Path of the first issue (`''` for whole-file problems). */
  readonly path: string;
  /** The first issue's bare message, without file and path. */
  readonly detail: string;
  readonly line: number | undefined;
  readonly issues: readonly ConfigIssue[];

  constructor(file: string, issues: readonly ConfigIssue[], options?: { cause?: unknown }) {
    const [first, ...rest] = issues;
    if (first === undefined) throw new TypeError('ConfigError needs at least one issue');
    const lines = [formatIssue(file, first), ...rest.map((issue) => `  ${formatIssue(file, issue)}`)];
    super(lines.join('\n'), options);
    this.name = 'ConfigError';
    this.file = first.file ?? file;
    this.path = first.path;
    this.detail = first.message;
    this.line = first.line;
    this.issues = issues;
  }

  /** The message alone: it already names the file, which is what a log line needs. */
  override toString(): string {
    return this.message;
  }
}

/** Something legal but unwise (e.g. a literal secret). Formatted like a ConfigError issue. */
export class ConfigWarning {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly message: string,
  ) {}

  toString(): string {
    return formatIssue(this.file, { path: this.path, message: this.message });
  }
}

/**
 * Receives each warning as one ready-to-log line (`baimo.yaml: providers[0].api_key: …`) and, for
 * callers that want the parts, the structured warning.
 */
export type WarnFn = (message: string, warning: ConfigWarning) => void;

export function emitWarning(warn: WarnFn, warning: ConfigWarning): void {
  warn(warning.toString(), warning);
}
