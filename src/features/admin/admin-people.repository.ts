import type { Knex } from 'knex';
import type { Role, UserSource } from '../../core/users/user';

export const PEOPLE_FILTERS = ['locked', 'unverified', 'no_two_step', 'admin'] as const;
export type PeopleFilter = (typeof PEOPLE_FILTERS)[number];

export const PEOPLE_SORTS = ['name', 'created', 'last_sign_in'] as const;
export type PeopleSort = (typeof PEOPLE_SORTS)[number];

/** What the console searches for: every part optional, all of them together (AND). */
export interface PeopleSearch {
  /** A prefix of the username, the email address, the first or last name, or "first last". */
  q?: string;
  filters: readonly PeopleFilter[];
  source?: UserSource;
  sort: PeopleSort;
  descending: boolean;
}

/** A position in the sorted list: the sort key of a row (as PostgreSQL writes it) and its id, the tie-breaker. */
export interface Keyset {
  key: string;
  id: string;
}

/** One person in the list: what the console shows, never a secret. */
export interface PersonSummary {
  id: string;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  emailVerified: boolean;
  role: Role;
  source: UserSource;
  lockedAt: Date | null;
  mfaEnabled: boolean;
  avatarHash: string | null;
  createdAt: Date;
  lastSignInAt: Date | null;
  /** Where this row sits, for the cursors of the pages around it. */
  position: Keyset;
}

/** A time as a cursor carries it: UTC to the microsecond, whatever the session's zone and date style. */
const timeText = (expression: string) => `case when ${expression} = '-infinity' then '-infinity' else to_char(${expression} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') end`;

/**
 * Each sort's key, written exactly as its index in migrations/20261204000200_people_search.ts,
 * so that PostgreSQL reads pages straight from the index; `text` is the key as a cursor
 * carries it, `type` how it is read back.
 */
const SORT_KEYS: Record<PeopleSort, { expression: string; text: string; type: 'text' | 'timestamptz' }> = {
  name: { expression: "lower(first_name || ' ' || last_name)", text: "lower(first_name || ' ' || last_name)", type: 'text' },
  created: { expression: 'created_at', text: timeText('created_at'), type: 'timestamptz' },
  last_sign_in: { expression: "coalesce(last_sign_in_at, '-infinity'::timestamptz)", text: timeText("coalesce(last_sign_in_at, '-infinity'::timestamptz)"), type: 'timestamptz' },
};

const COLUMNS = ['id', 'username', 'email', 'first_name', 'last_name', 'email_verified_at', 'role', 'source', 'locked_at', 'mfa_enabled', 'avatar_hash', 'created_at', 'last_sign_in_at'];

/** `%`, `_` and the escape character itself match literally in a LIKE pattern once escaped. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

type Row = Record<string, unknown>;

function toPerson(row: Row): PersonSummary {
  return {
    id: row.id as string,
    username: row.username as string,
    email: row.email as string,
    firstName: row.first_name as string,
    lastName: row.last_name as string,
    emailVerified: row.email_verified_at !== null,
    role: row.role as Role,
    source: row.source as UserSource,
    lockedAt: row.locked_at ? new Date(row.locked_at as string) : null,
    mfaEnabled: Boolean(row.mfa_enabled),
    avatarHash: (row.avatar_hash as string | null) ?? null,
    createdAt: new Date(row.created_at as string),
    lastSignInAt: row.last_sign_in_at ? new Date(row.last_sign_in_at as string) : null,
    position: { key: row.sort_key as string, id: row.id as string },
  };
}

/** The administrators' list of people: search, filters, sorts and keyset pages over the users table. */
export function createAdminPeopleRepository(db: Knex | Knex.Transaction) {
  /** The accounts a search selects, in no particular order. */
  function matching(search: PeopleSearch): Knex.QueryBuilder {
    const query = db('users');
    if (search.q) {
      const pattern = `${escapeLike(search.q)}%`;
      // A space cannot start a username or an address, but it can join a first and last name.
      const columns = search.q.includes(' ') ? ['first_name', 'last_name', "first_name || ' ' || last_name"] : ['username', 'email', 'first_name', 'last_name'];
      query.where((any) => {
        for (const column of columns) any.orWhereRaw(`lower(${column}) like lower(?) escape '\\'`, [pattern]);
      });
    }
    if (search.filters.includes('locked')) query.whereNotNull('locked_at');
    if (search.filters.includes('unverified')) query.whereNull('email_verified_at');
    if (search.filters.includes('no_two_step')) query.where('mfa_enabled', false);
    if (search.filters.includes('admin')) query.where('role', 'admin');
    if (search.source) query.where('source', search.source);
    return query;
  }

  /** Sorted by the search's key, then id, each way; `reverse` reads the list from the other end. */
  function ordered(query: Knex.QueryBuilder, search: PeopleSearch, reverse: boolean): Knex.QueryBuilder {
    const direction = search.descending !== reverse ? 'desc' : 'asc';
    return query.orderByRaw(`${SORT_KEYS[search.sort].expression} ${direction}, id ${direction}`);
  }

  return {
    /**
     * Up to `limit` people after `from` (or, `backward`, the `limit` before it, still in list
     * order). A keyset page: new or removed accounts never shift the pages after it.
     * `few`: the caller knows the search selects few people (its capped count). Those are
     * then gathered first, through the search and filter indexes, and sorted; otherwise the
     * sort's index is walked until a page is found, which is quick when matches are many but
     * slow when they are rare, and PostgreSQL cannot tell the two apart for a prefix combined
     * with a filter.
     */
    async page(search: PeopleSearch, options: { from?: Keyset; backward?: boolean; limit: number; few?: boolean }): Promise<PersonSummary[]> {
      const { expression, text, type } = SORT_KEYS[search.sort];
      const backward = options.backward ?? false;
      const rows = matching(search).select(COLUMNS).select(db.raw(`${text} as sort_key`)).select(db.raw(`${expression} as sort_value`));
      const query: Knex.QueryBuilder = options.few ? db.withMaterialized('matches', rows).from('matches') : rows;
      const key = options.few ? 'sort_value' : expression;
      if (options.from) {
        const after = search.descending === backward ? '>' : '<';
        query.whereRaw(`(${key}, id) ${after} (?::${type}, ?::uuid)`, [options.from.key, options.from.id]);
      }
      const direction = search.descending !== backward ? 'desc' : 'asc';
      const found = (await query.orderByRaw(`${key} ${direction}, id ${direction}`).limit(options.limit)) as Row[];
      const people = found.map(toPerson);
      return backward ? people.reverse() : people;
    },

    /**
     * How many people the search selects, counted no further than `cap` (a count of a million
     * costs a scan of a million). In no order, so PostgreSQL takes the cheapest way to the
     * first `cap`; with nothing to narrow by, that is the creation index.
     */
    async countUpTo(search: PeopleSearch, cap: number): Promise<number> {
      const narrowed = Boolean(search.q || search.filters.length || search.source);
      const firstOnes = (narrowed ? matching(search).select(db.raw('1')) : ordered(matching(search).select(db.raw('1')), { ...search, sort: 'created' }, false)).limit(cap);
      const [row] = (await db.from(firstOnes.as('first_ones')).count({ n: '*' })) as Array<{ n: string | number }>;
      return Number(row?.n ?? 0);
    },
  };
}

export type AdminPeopleRepository = ReturnType<typeof createAdminPeopleRepository>;
