#!/usr/bin/env node
// Development helper, not part of the build (README.md explains the workflow):
//   node src/providers/catalog/derive-from-snapshot.mjs <prices-snapshot.json> [out.json]
// 1. Collects every `snapshotKey` cited in vendors/*.ts.
// 2. Prints those snapshot rows as a table (context, max output, lowest-tier prices, tiers) to copy
//    into the vendor files.
// 3. With [out.json], writes just those rows verbatim: the committed test fixture that
//    test/unit/catalog/catalog.test.ts checks the TypeScript data against.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [snapshotPath, outPath] = process.argv.slice(2);
if (!snapshotPath) {
  console.error('usage: derive-from-snapshot.mjs <prices-snapshot.json> [out.json]');
  process.exit(2);
}
const snapshot = JSON.parse(readFileSync(snapshotPath, 'utf8'));
const vendorsDir = join(dirname(fileURLToPath(import.meta.url)), 'vendors');
const keys = [];
for (const file of readdirSync(vendorsDir).sort()) {
  const text = readFileSync(join(vendorsDir, file), 'utf8');
  for (const match of text.matchAll(/snapshotKey: '([^']+)'/g)) keys.push(match[1]);
}

const rows = [];
let missing = 0;
for (const key of keys) {
  const row = snapshot.models.find((model) => model.litellm_key === key);
  if (!row) {
    console.error(`not in snapshot: ${key}`);
    missing += 1;
    continue;
  }
  rows.push(row);
  const lowest = row.tiers?.[0] ?? row;
  const tiers = row.tiers ? ` tiers=${row.tiers.map((t) => `${t.input_tokens_range.join('-')}:${t.usd_per_1m_input}/${t.usd_per_1m_output}`).join(', ')}` : '';
  console.log(
    `${key}\tctx=${row.max_input_tokens}\tout=${row.max_output_tokens}\tin=${lowest.usd_per_1m_input}\tout=${lowest.usd_per_1m_output}\tcached=${lowest.usd_per_1m_cache_read ?? row.usd_per_1m_cache_read ?? '-'}\tsupports=${(row.supports ?? []).join(',')}${tiers}`,
  );
}

if (outPath) {
  const body = rows.map((row) => `  ${JSON.stringify(row)}`).join(',\n');
  const header = { about: `Rows of ${snapshot.source} cited by src/providers/catalog (snapshotKey), copied verbatim by derive-from-snapshot.mjs.`, currency: snapshot.currency, unit: snapshot.unit };
  writeFileSync(outPath, `{\n"about": ${JSON.stringify(header.about)},\n"currency": ${JSON.stringify(header.currency)},\n"unit": ${JSON.stringify(header.unit)},\n"models": [\n${body}\n]}\n`);
  console.error(`wrote ${rows.length} rows to ${outPath}`);
}
process.exit(missing > 0 ? 1 : 0);
