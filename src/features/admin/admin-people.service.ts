import { z } from 'zod';
import { ValidationError } from '../../infra/errors';
import type { Repos } from '../../core/repos';
import { optionalText, parseInput } from '../../http/validate';
import { PEOPLE_FILTERS, type AdminPeopleRepository, type Keyset, type PeopleSearch, type PeopleSort, type PersonSummary } from './admin-people.repository';

/** The tables this module reads and writes. */
type Tables = { adminPeople: AdminPeopleRepository };

export const PEOPLE_PAGE_SIZE = 50;
/** Counting stops here: "more than 1,000" says enough, and costs no more than reading a thousand index entries. */
export const PEOPLE_COUNT_CAP = 1000;
export const PEOPLE_SOURCES = ['local', 'ldap', 'oidc'] as const;
/** A sort and its direction, as the form's select and the API's `sort` name them: `-` is descending. */
export const PEOPLE_SORT_CHOICES = ['name', '-name', 'created', '-created', 'last_sign_in', '-last_sign_in'] as const;
export type PeopleSortChoice = (typeof PEOPLE_SORT_CHOICES)[number];

const blankIsUnset = (value: unknown) => (value === '' ? undefined : value);
const asList = (value: unknown) => (value === undefined || value === '' ? [] : typeof value === 'string' ? [value] : value);
const CURSOR_ERROR = 'admin.people.errors.badCursor';

/** The list's query string (the page's GET form and the API take the same): every value a single string, except `filter`, which may repeat. */
export const peopleQuerySchema = z.object({
  q: optionalText({ max: 200 }),
  filter: z.preprocess(
    asList,
    z
      .array(z.enum(PEOPLE_FILTERS, { error: 'admin.people.errors.unknownFilter' }), { error: 'admin.people.errors.unknownFilter' })
      .max(PEOPLE_FILTERS.length * 2, 'admin.people.errors.unknownFilter')
      .transform((filters) => [...new Set(filters)]),
  ),
  source: z.preprocess(blankIsUnset, z.enum(PEOPLE_SOURCES, { error: 'admin.people.errors.unknownSource' }).optional()),
  sort: z.preprocess(blankIsUnset, z.enum(PEOPLE_SORT_CHOICES, { error: 'admin.people.errors.unknownSort' }).default('name')),
  cursor: z.preprocess(blankIsUnset, z.string({ error: CURSOR_ERROR }).max(2000, CURSOR_ERROR).optional()),
  limit: z.preprocess(
    blankIsUnset,
    z
      .string({ error: 'admin.people.errors.limit' })
      .regex(/^\d{1,3}$/, 'admin.people.errors.limit')
      .transform(Number)
      .pipe(z.number().min(1, 'admin.people.errors.limit').max(100, 'admin.people.errors.limit'))
      .optional(),
  ),
});

export type PeopleQuery = z.infer<typeof peopleQuerySchema>;

/** What a cursor carries: the sort it was made for, which way it reads, and the row it starts from. */
const cursorSchema = z.object({
  s: z.enum(PEOPLE_SORT_CHOICES),
  d: z.enum(['next', 'previous']),
  k: z
    .string()
    .max(1000)
    .refine((key) => !key.includes('\u0000')),
  i: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
});

/** A timestamp key as the repository writes it (UTC, microseconds), and only a real date, so PostgreSQL never refuses it. */
function isTimestampKey(key: string): boolean {
  if (key === '-infinity') return true;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(key)) return false;
  const millis = Date.parse(`${key.slice(0, 23)}Z`);
  return Number.isFinite(millis) && new Date(millis).toISOString().slice(0, 23) === key.slice(0, 23);
}

export function encodeCursor(sort: PeopleSortChoice, direction: 'next' | 'previous', at: Keyset): string {
  return Buffer.from(JSON.stringify({ s: sort, d: direction, k: at.key, i: at.id })).toString('base64url');
}

/** The cursor's position, if it is one this service wrote for this sort; otherwise a message, never a database error. */
function decodeCursor(cursor: string, sort: PeopleSortChoice): { at: Keyset; backward: boolean } {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw ValidationError.field('cursor', CURSOR_ERROR);
  }
  const parsed = cursorSchema.safeParse(decoded);
  const timestamps = sort !== 'name' && sort !== '-name';
  if (!parsed.success || parsed.data.s !== sort || (timestamps && !isTimestampKey(parsed.data.k))) throw ValidationError.field('cursor', CURSOR_ERROR);
  return { at: { key: parsed.data.k, id: parsed.data.i }, backward: parsed.data.d === 'previous' };
}

export function searchOf(query: PeopleQuery): PeopleSearch {
  return { q: query.q, filters: query.filter, source: query.source, sort: query.sort.replace(/^-/, '') as PeopleSort, descending: query.sort.startsWith('-') };
}

export interface PeoplePage {
  query: PeopleQuery;
  people: PersonSummary[];
  /** Cursors of the pages after and before this one, when there are such pages. */
  next?: string;
  previous?: string;
  /** How many people match, up to PEOPLE_COUNT_CAP; `countCapped` when there are more. */
  count: number;
  countCapped: boolean;
}

/** The console's list of people (GET /admin/users and GET /api/v1/admin/users). */
export function createAdminPeopleService(deps: { repos: Repos<Tables> }) {
  const people = deps.repos.adminPeople;

  async function list(query: PeopleQuery): Promise<PeoplePage> {
    const search = searchOf(query);
    const limit = query.limit ?? PEOPLE_PAGE_SIZE;
    const cursor = query.cursor ? decodeCursor(query.cursor, query.sort) : undefined;
    const counted = await people.countUpTo(search, PEOPLE_COUNT_CAP + 1);
    const count = { count: Math.min(counted, PEOPLE_COUNT_CAP), countCapped: counted > PEOPLE_COUNT_CAP };
    const rows = await people.page(search, { from: cursor?.at, backward: cursor?.backward, limit: limit + 1, few: !count.countCapped });
    const cursorAt = (direction: 'next' | 'previous', row: PersonSummary | undefined) => (row ? encodeCursor(query.sort, direction, row.position) : undefined);
    if (cursor?.backward) {
      // Back at the start: the first page as it is now, rather than a short page before it.
      if (rows.length <= limit) return list({ ...query, cursor: undefined });
      const shown = rows.slice(rows.length - limit);
      return { query, people: shown, previous: cursorAt('previous', shown[0]), next: cursorAt('next', shown.at(-1)), ...count };
    }
    const shown = rows.slice(0, limit);
    return {
      query,
      people: shown,
      next: rows.length > limit ? cursorAt('next', shown.at(-1)) : undefined,
      previous: cursor ? (cursorAt('previous', shown[0]) ?? encodeCursor(query.sort, 'previous', cursor.at)) : undefined,
      ...count,
    };
  }

  return {
    /** One page of the people a query selects; bad input of any kind is a ValidationError naming the parameter. */
    async list(input: unknown): Promise<PeoplePage> {
      return list(parseInput(peopleQuerySchema, input));
    },
  };
}

export type AdminPeopleService = ReturnType<typeof createAdminPeopleService>;
