import { pathToFileURL } from 'node:url';

/**
 * `npm run bench` / `baimo bench`: the gateway bench, then the retrieval bench.
 * `--only gateway` or `--only retrieval` runs one of them. Each module is imported only when it
 * runs, so the retrieval bench does not load the gateway's process machinery and vice versa.
 */

export type BenchName = 'gateway' | 'retrieval';
const BENCHES: readonly BenchName[] = ['gateway', 'retrieval'];

export const BENCH_USAGE = `Usage: baimo bench [--only gateway|retrieval]

Runs the gateway benchmark (direct vs bare passthrough vs Baimo against a local mock upstream),
then the retrieval benchmark (knowledge-base ingestion, BM25 / HNSW / hybrid query latency and
HNSW recall at 10k and 100k chunks). See docs/benchmarks.md.
`;

/** A bad command line: reported as one line, without a stack. */
export class BenchUsageError extends Error {}

/** Which benches `args` select; throws `BenchUsageError` on anything it does not understand. */
export function selectBenches(args: readonly string[]): BenchName[] {
  let only: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--only') only = args[++i] ?? '';
    else if (arg.startsWith('--only=')) only = arg.slice('--only='.length);
    else throw new BenchUsageError(`unknown argument '${arg}'\n\n${BENCH_USAGE}`);
  }
  if (only === undefined) return [...BENCHES];
  if (!BENCHES.includes(only as BenchName)) throw new BenchUsageError(`--only takes 'gateway' or 'retrieval', not '${only}'`);
  return [only as BenchName];
}

/** Runs the selected benches in turn; one that fails does not stop the next, and the first error is rethrown at the end. */
export async function runBenches(args: readonly string[] = []): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(BENCH_USAGE);
    return;
  }
  const failures: unknown[] = [];
  for (const name of selectBenches(args)) {
    try {
      if (name === 'gateway') {
        const { runBench } = await import('./gateway.js');
        await runBench();
      } else {
        const { runRetrievalBench } = await import('./retrieval.js');
        await runRetrievalBench();
      }
    } catch (err) {
      failures.push(err);
      process.stderr.write(`bench: the ${name} bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
  }
  if (failures.length) throw failures[0];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runBenches(process.argv.slice(2)).catch((err: unknown) => {
    // A failed bench was already reported with its stack; a usage error gets one line.
    if (err instanceof BenchUsageError) process.stderr.write(`bench: ${err.message}\n`);
    process.exitCode = err instanceof BenchUsageError ? 2 : 1;
  });
}
