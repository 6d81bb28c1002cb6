#!/usr/bin/env node
// Prints each built chunk's gzipped size and checks the initial JavaScript (the entry chunk plus
// everything it imports statically) against the budget. Lazy chunks (pages, ECharts) are listed
// but not counted: the browser fetches them only when they are used.
// Used by console/vite.config.ts after every build; also runnable alone:
//   node console/scripts/check-size.mjs [dist/console]
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Initial JavaScript budget, gzipped (the console issue: at most 300 KB). */
export const BUDGET_BYTES = 300 * 1000;

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

/** @param {string} outDir @param {{ budget?: number, print?: (line: string) => void }} [opts] */
export function checkSize(outDir, opts = {}) {
  const budget = opts.budget ?? BUDGET_BYTES;
  const print = opts.print ?? ((line) => console.log(line));
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8'));
  const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);

  const initial = new Set();
  const visit = (key) => {
    const chunk = manifest[key];
    if (!chunk || initial.has(chunk.file)) return;
    initial.add(chunk.file);
    for (const dep of chunk.imports ?? []) visit(dep);
  };
  for (const [key] of entries) visit(key);

  const files = new Set();
  for (const chunk of Object.values(manifest)) {
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
  }
  const rows = [...files]
    .map((file) => {
      const bytes = readFileSync(join(outDir, file));
      return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, initial: initial.has(file) };
    })
    .sort((a, b) => Number(b.initial) - Number(a.initial) || b.gzip - a.gzip);

  print('console bundle (gzipped):');
  for (const r of rows) {
    const tag = r.file.endsWith('.css') ? 'css    ' : r.initial ? 'initial' : 'lazy   ';
    print(`  ${tag}  ${kb(r.gzip).padStart(9)}  (${kb(r.raw).padStart(9)} raw)  ${r.file}`);
  }
  const initialJs = rows.filter((r) => r.initial && r.file.endsWith('.js')).reduce((sum, r) => sum + r.gzip, 0);
  const ok = initialJs <= budget;
  const message = `initial JavaScript: ${kb(initialJs)} gzipped (budget ${kb(budget)})${ok ? '' : ' — OVER BUDGET'}`;
  print(message);
  return { ok, initialJs, budget, rows, message };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = resolve(process.argv[2] ?? join(fileURLToPath(new URL('.', import.meta.url)), '../../dist/console'));
  process.exitCode = checkSize(outDir).ok ? 0 : 1;
}
