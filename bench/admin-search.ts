/**
 * The console's list of people at a million accounts (npm run bench:admin-search).
 *
 * Seeds BENCH_PEOPLE (1,000,000) accounts with one INSERT ... SELECT FROM generate_series in a
 * throw-away database on BENCH_DATABASE_URL (realistic names and addresses; 0.1 % locked,
 * 0.02 % administrators, 10 % unverified, 75 % without two-step, 3 % from a directory,
 * 1 in 7 never signed in), then times the service's own list function (the one the page and
 * the API call: validation, the page query and the capped count) for the first page, prefix
 * searches, filtered searches and a page half a million rows deep. Each is run BENCH_RUNS
 * times after a warm-up; median and p95 are reported, with EXPLAIN (ANALYZE, BUFFERS) of
 * every statement it ran. Target: each under 50 ms (median and p95), and the page read
 * through an index (no sequential scan of users).
 * BENCH_QUICK=1 seeds 100,000 and runs fewer times (saved under bench/results/quick/).
 */
import { createDb, migrateLatest, type Db } from '../src/infra/db';
import { createRepositories } from '../src/repositories';
import { createAdminPeopleService, encodeCursor, peopleQuerySchema, searchOf } from '../src/features/admin/admin-people.service';
import { knob, median, percentile, round, saveResult, verdict } from './lib/report';
import { throwAwayDatabase } from './lib/services';

const PEOPLE = knob('BENCH_PEOPLE', 1_000_000, 100_000);
const RUNS = knob('BENCH_RUNS', 200, 40);
const WARM_UP = Math.ceil(RUNS / 10);
const TARGET_MS = 50;

const FIRST = ['Ana', 'Marko', 'Milica', 'Nikola', 'Jelena', 'Stefan', 'Maria', 'Lukas', 'Sofia', 'Jonas', 'Emma', 'Noah', 'Olivia', 'Liam', 'Milan', 'Mila', 'Ivana', 'Petar', 'Katarina', 'Aleksandar', 'Hannah', 'Felix', 'Lena', 'Paul', 'Ada', 'Grace', 'Alan', 'Linus', 'Dragana', 'Vuk'];
const LAST = ['Petrović', 'Jovanović', 'Nikolić', 'Marković', 'Đorđević', 'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Ilić', 'Stanković', 'Pavlović', 'Milošević', 'Kovačević', 'Becker', 'Hoffmann', 'Wagner', 'Miller', 'Davis', 'Novak', 'Horvat', 'Kralj', 'Babić', 'Lukić', 'Zorić', 'Savić', 'Popović', 'Vasić', 'Tomić'];
const DOMAINS = ['example.com', 'example.org', 'mail.example.net', 'posta.example.rs', 'firma.example.de'];

const literal = (values: string[]) => `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]::text[]`;

/** A million accounts in one statement; usernames and addresses are ASCII, names keep their letters. */
async function seed(db: Db, count: number): Promise<void> {
  await db.raw(`
    insert into users (username, email, first_name, last_name, email_verified_at, role, source, locked_at, mfa_enabled, created_at, updated_at, last_sign_in_at)
    select
      lower(translit(f)) || '.' || lower(translit(l)) || g,
      lower(translit(f)) || '.' || lower(translit(l)) || g || '@' || d,
      f, l,
      case when g % 10 = 3 then null else created + interval '1 hour' end,
      case when g % 5000 = 7 then 'admin' else 'user' end,
      case when g % 50 = 11 then 'ldap' when g % 97 = 13 then 'oidc' else 'local' end,
      case when g % 1000 = 17 then created + interval '20 days' end,
      g % 4 = 1,
      created, created,
      case when g % 7 = 5 then null else created + (g::bigint * 7919 % 600) * interval '1 day' + (g % 86400) * interval '1 second' end
    from generate_series(1, ?::int) g,
      lateral (select ${literal(FIRST)} as fs, ${literal(LAST)} as ls, ${literal(DOMAINS)} as ds) names,
      lateral (select fs[1 + (g * 31) % array_length(fs, 1)] as f, ls[1 + (g * 17 / 7) % array_length(ls, 1)] as l, ds[1 + g % array_length(ds, 1)] as d,
                      timestamptz '2019-01-01 00:00:00+00' + ((g::bigint * 2654435761) % 220000000) * interval '1 second' as created) picked`, [count]);
}

/** The accented letters of the seed names, written plainly for usernames and addresses. */
const TRANSLIT = `create function translit(s text) returns text language sql immutable as $$ select translate(s, 'ćčđšžüöäĐ', 'ccdszuoaD') $$`;

interface Case {
  name: string;
  query: Record<string, unknown>;
}

async function main(): Promise<void> {
  const database = await throwAwayDatabase();
  const db = createDb({ databaseUrl: database.url });
  try {
    await migrateLatest(db);
    await db.raw(TRANSLIT);
    console.log(`Seeding ${PEOPLE.toLocaleString('en')} accounts...`);
    let started = Date.now();
    await seed(db, PEOPLE);
    const seedSeconds = round((Date.now() - started) / 1000, 1);
    started = Date.now();
    await db.raw('vacuum analyze users');
    console.log(`  seeded in ${seedSeconds} s, vacuumed and analysed in ${round((Date.now() - started) / 1000, 1)} s`);

    const service = createAdminPeopleService({ repos: createRepositories(db) });
    // A cursor half-way down the default order, as if someone had followed "Next page" 10,000 times.
    const deep = await db.raw(`select id, lower(first_name || ' ' || last_name) as key from users order by lower(first_name || ' ' || last_name), id offset ? limit 1`, [Math.floor(PEOPLE / 2)]);
    const row = deep.rows[0] as { id: string; key: string };
    if (!row) throw new Error('the list is empty');
    const cases: Case[] = [
      { name: 'first page, default sort (name)', query: {} },
      { name: 'first page, newest first', query: { sort: '-created' } },
      { name: 'prefix search "mil" (names and usernames)', query: { q: 'mil' } },
      { name: 'prefix search "petrov" (last names), newest first', query: { q: 'petrov', sort: '-created' } },
      { name: 'prefix search of an address "ana.lovelace1"', query: { q: 'ana.lovelace1' } },
      { name: 'prefix search "Ada Love" (first and last name)', query: { q: 'Ada Love' } },
      { name: 'filtered: locked', query: { filter: 'locked' } },
      { name: 'filtered: administrators, signed in most recently', query: { filter: 'admin', sort: '-last_sign_in' } },
      { name: 'filtered: unverified without two-step, newest first', query: { filter: ['unverified', 'no_two_step'], sort: '-created' } },
      { name: 'filtered search: "mil" from LDAP', query: { q: 'mil', source: 'ldap' } },
      { name: `deep keyset page (${Math.floor(PEOPLE / 2).toLocaleString('en')} rows in)`, query: { cursor: encodeCursor('name', 'next', { key: row.key, id: row.id }) } },
    ];

    const results = [];
    let allMet = true;
    for (const c of cases) {
      // The statements the service runs for this query, captured once, then explained.
      const statements: Array<{ sql: string; bindings: unknown[] }> = [];
      const capture = (q: { sql: string; bindings?: unknown[] }) => statements.push({ sql: q.sql, bindings: q.bindings ?? [] });
      db.on('query', capture);
      const page = await service.list(c.query);
      db.off('query', capture);
      const plans: string[] = [];
      for (const s of statements) {
        const explained = await db.raw(`explain (analyze, buffers) ${s.sql.replace(/\$\d+/g, '?')}`, s.bindings as never[]);
        plans.push((explained.rows as Array<Record<string, string>>).map((r) => r['QUERY PLAN']).join('\n'));
      }
      for (let i = 0; i < WARM_UP; i++) await service.list(c.query);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = process.hrtime.bigint();
        await service.list(c.query);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      // The page's statement must come from an index. The capped count may read the table in
      // order when matches are dense: it stops at the 1,001st, so it costs the same at any size.
      const seqScan = statements.some((st, i) => /sort_key/.test(st.sql) && /Seq Scan on users/.test(plans[i] ?? ''));
      const countSeqScan = statements.some((st, i) => !/sort_key/.test(st.sql) && /Seq Scan on users/.test(plans[i] ?? ''));
      const result = {
        name: c.name,
        query: c.query,
        search: searchOf(peopleQuerySchema.parse(c.query)),
        shown: page.people.length,
        count: page.countCapped ? `more than ${page.count}` : page.count,
        medianMs: round(median(times)),
        p95Ms: round(percentile(times, 95)),
        maxMs: round(Math.max(...times)),
        seqScanOnUsers: seqScan,
        countReadsTableUntilCap: countSeqScan,
        plans: statements.map((s, i) => ({ sql: s.sql, bindings: s.bindings, plan: plans[i] })),
      };
      console.log(`\n${c.name}: ${result.shown} shown, ${result.count} counted`);
      allMet = verdict('median ms', result.medianMs, `< ${TARGET_MS}`, result.medianMs < TARGET_MS) && allMet;
      allMet = verdict('p95 ms', result.p95Ms, `< ${TARGET_MS}`, result.p95Ms < TARGET_MS) && allMet;
      allMet = verdict('sequential scans of users for the page', seqScan ? 1 : 0, '0', !seqScan) && allMet;
      if (countSeqScan) console.log('  (the capped count read the table in order until its 1,001st match)');
      results.push(result);
    }
    console.log(`\n${allMet ? 'Every target met' : 'Some targets MISSED'}`);
    saveResult('admin-search', {
      people: PEOPLE,
      runs: RUNS,
      warmUp: WARM_UP,
      seedSeconds,
      method: "the service's list() in this process against PostgreSQL on the same machine: validation, the page query and the capped count, timed from call to answer",
      postgres: ((await db.raw('show server_version')).rows[0] as { server_version: string }).server_version,
      targetMs: TARGET_MS,
      pass: allMet,
      results,
    });
    process.exitCode = allMet ? 0 : 1;
  } finally {
    await db.destroy();
    await database.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
