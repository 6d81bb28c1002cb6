import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { en } from '../../../console/src/i18n/en.js';
import { zhCN } from '../../../console/src/i18n/zh-CN.js';

/**
 * The console's two dictionaries stay in step, and no UI text bypasses them: a lint over every
 * .tsx file finds JSX text, string-literal children and user-visible attributes that contain
 * letters (punctuation, numbers and symbols such as "·" or "/" may stay inline).
 */
const SRC = fileURLToPath(new URL('../../../console/src', import.meta.url));
const VISIBLE_ATTRIBUTES = new Set(['aria-label', 'aria-description', 'placeholder', 'title', 'alt', 'label']);
const LETTER = /\p{L}/u;

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? tsxFiles(join(dir, entry.name)) : entry.name.endsWith('.tsx') ? [join(dir, entry.name)] : [],
  );
}

/** Hard-coded UI strings in one file's text, as `file:line "text"`. */
function hardCodedStrings(file: string, text = readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const report = (node: ts.Node, text: string) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push(`${relative(SRC, file)}:${line + 1} ${JSON.stringify(text.trim())}`);
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && LETTER.test(node.text)) report(node, node.text);
    if (ts.isJsxExpression(node) && node.expression && ts.isStringLiteralLike(node.expression) && ts.isJsxElement(node.parent) && LETTER.test(node.expression.text)) {
      report(node, node.expression.text);
    }
    if (ts.isJsxAttribute(node) && VISIBLE_ATTRIBUTES.has(node.name.getText(source)) && node.initializer) {
      const init = node.initializer;
      const literal = ts.isStringLiteral(init) ? init : ts.isJsxExpression(init) && init.expression && ts.isStringLiteralLike(init.expression) ? init.expression : undefined;
      if (literal && LETTER.test(literal.text)) report(node, literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('console i18n', () => {
  it('has the same keys in English and Chinese', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it('uses the same placeholders in both languages, and no empty strings', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
      expect(en[key].trim(), key).not.toBe('');
      expect(zhCN[key].trim(), key).not.toBe('');
    }
  });

  it('leaves no hard-coded UI text in the components', () => {
    const files = tsxFiles(SRC);
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap((file) => hardCodedStrings(file))).toEqual([]);
  });

  it('the lint itself catches text, literal children and visible attributes', () => {
    const text = `export const A = ({ x }: { x: string }) => (
  <p title="Hello">
    Plain text{'literal'}<input aria-label={'Name'} placeholder={x} /> · {x} {t('ok')}
  </p>
);`;
    expect(hardCodedStrings(join(SRC, 'probe.tsx'), text)).toEqual(['probe.tsx:2 "Hello"', 'probe.tsx:3 "Plain text"', 'probe.tsx:3 "literal"', 'probe.tsx:3 "Name"']);
  });
});
