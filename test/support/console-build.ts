import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The e2e tests drive the built console that `baimo serve` serves (dist/console, built by
 * `npm ci`'s prepare step). Rebuild it first when any console source is newer than the build, so
 * a test run never exercises a stale bundle.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SOURCES = ['console/src', 'console/public', 'console/index.html', 'console/vite.config.ts'];
const BUILT = join(ROOT, 'dist', 'console', 'index.html');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), stat.mtimeMs);
}

export function ensureConsoleBuilt(): void {
  const source = Math.max(...SOURCES.map((p) => join(ROOT, p)).filter(existsSync).map(newestMtime));
  if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= source) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'console'], {
    cwd: ROOT,
    stdio: 'pipe',
    // vitest sets NODE_ENV=test, which would give a development build of React.
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
