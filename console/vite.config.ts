import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { checkSize } from './scripts/check-size.mjs';

/**
 * The console's own build: `vite build console` (or `npm run build:console`) writes
 * dist/console/, which `baimo serve` serves at `/`. After every build the size check prints each
 * chunk's gzipped size and fails the build when the initial JavaScript exceeds its budget.
 */
const outDir = fileURLToPath(new URL('../dist/console', import.meta.url));
const gateway = process.env.BAIMO_URL ?? 'http://127.0.0.1:4000';

function sizeBudget(): Plugin {
  return {
    name: 'baimo-size-budget',
    apply: 'build',
    closeBundle() {
      const report = checkSize(outDir);
      if (!report.ok) throw new Error(report.message);
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react(), sizeBudget()],
  build: {
    outDir,
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    // check-size.mjs prints gzipped sizes against the budget; vite's own table would repeat it.
    reportCompressedSize: false,
    // The one big chunk is ECharts, loaded lazily by the charts; the budget above is what counts.
    chunkSizeWarningLimit: 600,
  },
  // `npx vite console` during development: the API lives on a running `baimo serve`.
  server: {
    proxy: Object.fromEntries(['/v1', '/admin', '/healthz', '/readyz', '/metrics'].map((p) => [p, gateway])),
  },
});
