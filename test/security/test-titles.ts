import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The names of every test in the repository, read from the source without running it, as
 * `<file> > <describe> > ... > <it>`. Titles of `.each` tests are kept as written, with
 * their `%s` placeholders; a template literal title keeps its `${...}` text, and a title
 * that is not a literal at all is its source text.
 */

const BLOCKS = new Set(['describe']);
const TESTS = new Set(['it', 'test']);

/** `describe`, `it.each(rows)`, `describe.skip` ...: the jest function a call names, if any. */
function jestFunction(callee: ts.Expression): string | undefined {
  if (ts.isCallExpression(callee)) return jestFunction(callee.expression);
  if (ts.isTaggedTemplateExpression(callee)) return jestFunction(callee.tag);
  if (ts.isPropertyAccessExpression(callee)) return jestFunction(callee.expression);
  if (ts.isIdentifier(callee) && (BLOCKS.has(callee.text) || TESTS.has(callee.text))) return callee.text;
  return undefined;
}

function titleText(node: ts.Expression | undefined, source: ts.SourceFile): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.getText(source).slice(1, -1);
  return node.getText(source);
}

export function testTitlesOf(file: string, root: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const relative = path.relative(root, file).split(path.sep).join('/');
  const titles: string[] = [];
  const visit = (node: ts.Node, trail: string[]): void => {
    if (ts.isCallExpression(node)) {
      const kind = jestFunction(node.expression);
      const title = kind ? titleText(node.arguments[0], source) : undefined;
      if (kind && title !== undefined) {
        if (TESTS.has(kind)) {
          titles.push([relative, ...trail, title].join(' > '));
          return;
        }
        node.arguments.slice(1).forEach((arg) => visit(arg, [...trail, title]));
        return;
      }
    }
    ts.forEachChild(node, (child) => visit(child, trail));
  };
  visit(source, []);
  return titles;
}

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Every test name under `<root>/test`. */
export function allTestTitles(root: string): Set<string> {
  return new Set(testFiles(path.join(root, 'test')).flatMap((file) => testTitlesOf(file, root)));
}
