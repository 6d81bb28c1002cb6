/**
 * V8 flags `npm start` runs `baimo serve` with (package.json's start script; a test keeps the two
 * equal). A request leaves short-lived garbage (parsed bodies, upstream answers, usage events);
 * with 32 MiB semi-spaces instead of Node's 16 the young generation is scavenged half as often, and
 * `npm run bench:compare` measured 6–20 µs less CPU per proxied request (docs/benchmarks.md). Costs
 * up to 48 MiB more resident memory under load. Anyone starting `baimo` another way can set the
 * same flags in NODE_OPTIONS.
 */
export const SERVE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
