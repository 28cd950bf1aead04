import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { counts, currentSection, loadMap, loadOfficial, PENDING_FLAG, renderSection, ROOT, SECURITY_MD } from '../../scripts/asvs-map';
import { allTestTitles, testTitlesOf } from './test-titles';

const map = loadMap();
const official = loadOfficial(map);
const inScope = official.filter((r) => map.standard.chapters.includes(r.chapter) && map.standard.levels.includes(r.level));
const titles = allTestTitles(ROOT);
const pendingAllowed = fs.existsSync(PENDING_FLAG);

describe('The OWASP ASVS map (test/security/asvs.json)', () => {
  it('is read from an extract of the official 5.0.0 CSV, with its commit', () => {
    expect(map.standard).toMatchObject({ version: '5.0.0', levels: [1, 2], chapters: ['V2', 'V3', 'V5', 'V6', 'V7', 'V8'] });
    expect(map.standard.source).toContain(map.standard.commit);
    expect(map.standard.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(new Set(official.map((r) => r.chapter))).toEqual(new Set(map.standard.chapters));
    expect(new Set(official.map((r) => r.id)).size).toBe(official.length);
    for (const r of official) expect({ id: r.id, level: r.level, text: r.description.startsWith('Verify that') }).toEqual({ id: expect.stringMatching(/^\d+\.\d+\.\d+$/), level: expect.any(Number), text: true });
    expect(inScope.length).toBeGreaterThan(90);
  });

  it('lists exactly the level 1 and 2 requirements of those chapters, in the standard\'s order, with their official levels', () => {
    const unknown = map.requirements.filter((r) => !official.some((o) => o.id === r.id)).map((r) => r.id);
    expect(unknown).toEqual([]);
    expect(map.requirements.map((r) => r.id)).toEqual(inScope.map((r) => r.id));
    for (const r of map.requirements) expect({ id: r.id, level: r.level }).toEqual({ id: r.id, level: inScope.find((o) => o.id === r.id)?.level });
  });

  it('gives each requirement a one-line text and either its tests or the reason it does not apply', () => {
    for (const r of map.requirements) {
      expect({ id: r.id, oneLine: /^[^\n]{10,140}$/.test(r.text) }).toEqual({ id: r.id, oneLine: true });
      expect({ id: r.id, either: (r.tests !== undefined) !== (r.notApplicable !== undefined) }).toEqual({ id: r.id, either: true });
      if (r.notApplicable !== undefined) {
        expect({ id: r.id, reason: r.notApplicable.length >= 10, pending: r.pending }).toEqual({ id: r.id, reason: true, pending: undefined });
      }
    }
  });

  it('names a test for every requirement that applies', () => {
    const missing = map.requirements.filter((r) => r.notApplicable === undefined && (r.tests ?? []).length === 0 && !(pendingAllowed && r.pending)).map((r) => r.id);
    expect(missing).toEqual([]);
  });

  it('names only tests that exist, as file, describes and it joined by " > ", as written in the source', () => {
    expect(titles.size).toBeGreaterThan(300);
    const named = map.requirements.flatMap((r) => (r.tests ?? []).map((test) => ({ id: r.id, test })));
    expect(named.filter(({ test }) => !titles.has(test))).toEqual([]);
    for (const r of map.requirements) expect({ id: r.id, duplicates: (r.tests ?? []).length - new Set(r.tests).size }).toEqual({ id: r.id, duplicates: 0 });
  });

  it('marks a requirement pending only while test/security/asvs-pending.flag exists', () => {
    const pending = map.requirements.filter((r) => r.pending !== undefined).map((r) => r.id);
    if (!pendingAllowed) expect(pending).toEqual([]);
    for (const r of map.requirements.filter((x) => x.pending !== undefined)) expect({ id: r.id, says: (r.pending as string).length >= 20 }).toEqual({ id: r.id, says: true });
  });
});

describe('The OWASP ASVS section of SECURITY.md', () => {
  const markdown = fs.readFileSync(SECURITY_MD, 'utf8');

  it('is the table generated from the map (npm run docs:asvs)', () => {
    expect(markdown).toContain('## OWASP ASVS 5.0 (levels 1 and 2)');
    expect(currentSection(markdown)).toBe(renderSection(map));
  });

  it('states the totals the map has', () => {
    const { all, applicable, notApplicable, pending, proven } = counts(map);
    const section = currentSection(markdown) ?? '';
    expect(section).toContain(`hold ${all} requirements at levels 1 and 2: ${applicable} apply to Atrium and ${notApplicable} do not.`);
    expect(section).toContain(pending === 0 ? `All ${applicable} are proven` : `${proven} of the ${applicable} are proven`);
    const rows = section.split('\n').filter((line) => /^\| \d+\.\d+\.\d+ \|/.test(line));
    expect(rows).toHaveLength(all);
    expect(rows.filter((row) => row.includes('| Does not apply: '))).toHaveLength(notApplicable);
  });
});

describe('Test names read from the source', () => {
  it('join nested describes, keep .each and template titles as written, and skip calls that are not jest\'s', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asvs-titles-'));
    const file = path.join(dir, 'sample.test.ts');
    fs.writeFileSync(
      file,
      [
        "describe('Outer', () => {",
        "  it('plain', () => undefined);",
        "  describe.each([['a'], ['b']])('inner %s', () => {",
        "    it.each([1, 2])('counts %i', () => undefined);",
        '    test(`template ${1 + 1}`, () => undefined);',
        '  });',
        "  it.skip('skipped but named', () => undefined);",
        "  /x/.test('not a test');",
        '});',
        "test('top level', () => undefined);",
      ].join('\n'),
    );
    try {
      expect(testTitlesOf(file, dir)).toEqual([
        'sample.test.ts > Outer > plain',
        'sample.test.ts > Outer > inner %s > counts %i',
        'sample.test.ts > Outer > inner %s > template ${1 + 1}',
        'sample.test.ts > Outer > skipped but named',
        'sample.test.ts > top level',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
