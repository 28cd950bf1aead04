import path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '../../..');

/** Lints `code` as if it were a script in public/js, with the project's own ESLint configuration. */
async function problemsIn(code: string): Promise<Array<{ ruleId: string | null; line: number }>> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, 'public/js/snippet.js') });
  return (result?.messages ?? []).map(({ ruleId, line }) => ({ ruleId, line }));
}

describe('Scripts in public/ cannot turn strings into HTML or code', () => {
  it.each([
    ['innerHTML', "document.body.innerHTML = '<b>x</b>';", 'no-restricted-properties'],
    ['innerHTML (computed)', "document.body['innerHTML'] = '<b>x</b>';", 'no-restricted-properties'],
    ['innerHTML (destructured)', 'var { innerHTML } = document.body;\n  window.x = innerHTML;', 'no-restricted-properties'],
    ['outerHTML', "document.body.outerHTML = '<b>x</b>';", 'no-restricted-properties'],
    ['insertAdjacentHTML', "document.body.insertAdjacentHTML('beforeend', '<b>x</b>');", 'no-restricted-properties'],
    ['document.write', "document.write('<b>x</b>');", 'no-restricted-properties'],
    ['window.document.write', "window.document.write('<b>x</b>');", 'no-restricted-syntax'],
    ['document.writeln', "document.writeln('<b>x</b>');", 'no-restricted-properties'],
    ['eval', "eval('1 + 1');", 'no-eval'],
    ['window.eval', "window.eval('1 + 1');", 'no-eval'],
    ['new Function', "var f = new Function('return 1');\n  f();", 'no-new-func'],
    ['Function()', "var f = Function('return 1');\n  f();", 'no-new-func'],
    ['setTimeout with a string', "setTimeout('alert(1)', 10);", 'no-implied-eval'],
  ])('reports %s', async (_name, code, rule) => {
    const problems = await problemsIn(`(function () {\n  'use strict';\n  ${code}\n})();\n`);
    expect(problems).toEqual([{ ruleId: rule, line: 3 }]);
  });

  it('lets DOM methods through, and finds nothing in the shipped scripts', async () => {
    const clean = "(function () {\n  'use strict';\n  var p = document.createElement('p');\n  p.textContent = 'x';\n  document.body.replaceChildren(p);\n})();\n";
    expect(await problemsIn(clean)).toEqual([]);
    const results = await new ESLint({ cwd: root }).lintFiles(['public/js/*.js']);
    expect(results.length).toBeGreaterThanOrEqual(3);
    expect(results.flatMap((r) => r.messages.map((m) => `${path.basename(r.filePath)}:${m.line} ${m.ruleId}`))).toEqual([]);
  });
});
