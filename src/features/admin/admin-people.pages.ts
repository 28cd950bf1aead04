import type { Request, Response } from 'express';
import type { Clock } from '../../infra/clock';
import { ValidationError, type FieldErrors } from '../../infra/errors';
import type { Translator } from '../../infra/i18n';
import { page } from '../../http/pages';
import { renderPage } from '../../http/render';
import { URLS } from '../../http/urls';
import { initialsOf } from '../../core/users/user';
import { avatarUrl } from '../../core/users/avatar-url';
import { PEOPLE_FILTERS, type PersonSummary } from './admin-people.repository';
import { PEOPLE_SORT_CHOICES, PEOPLE_SOURCES, type PeoplePage, type PeopleQuery } from './admin-people.service';
import type { AdminPeopleService } from './admin-people.service';
import { adminFrame } from './admin-frame';

/** The sort select's labels, by choice (`-` descending). */
const SORT_LABELS: Record<(typeof PEOPLE_SORT_CHOICES)[number], string> = {
  name: 'admin.people.sorts.nameAscending',
  '-name': 'admin.people.sorts.nameDescending',
  '-created': 'admin.people.sorts.newest',
  created: 'admin.people.sorts.oldest',
  '-last_sign_in': 'admin.people.sorts.signedInRecently',
  last_sign_in: 'admin.people.sorts.signedInLongAgo',
};

/** The list's address with this query and cursor, so a page link keeps the search it belongs to. */
function listUrl(query: PeopleQuery, cursor: string): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  for (const filter of query.filter) params.append('filter', filter);
  if (query.source) params.set('source', query.source);
  params.set('sort', query.sort);
  if (query.limit) params.set('limit', String(query.limit));
  params.set('cursor', cursor);
  return `${URLS.adminUsers}?${params.toString()}`;
}

/** What a row shows: who, how to reach their page, and the states worth a badge. */
function row(person: PersonSummary) {
  const badges = [
    person.role === 'admin' ? { key: 'admin.people.badges.admin', tone: '' } : undefined,
    person.lockedAt ? { key: 'admin.people.badges.locked', tone: 'error' } : undefined,
    person.emailVerified ? undefined : { key: 'admin.people.badges.unverified', tone: 'warning' },
    person.mfaEnabled ? undefined : { key: 'admin.people.badges.noTwoStep', tone: '' },
    person.source === 'local' ? undefined : { key: `admin.people.sources.${person.source}`, tone: '' },
  ].filter((badge) => badge !== undefined);
  return {
    username: person.username,
    name: `${person.firstName} ${person.lastName}`,
    email: person.email,
    initials: initialsOf(person),
    avatarSmallUrl: avatarUrl(person.avatarHash, 96),
    badges,
    createdAt: person.createdAt,
    lastSignInAt: person.lastSignInAt,
  };
}

/** The query as typed, for the form shown again beside its messages (strings only, bounded). */
function typedValues(req: Request): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of ['q', 'source', 'sort']) {
    const value = req.query[name];
    if (typeof value === 'string') values[name] = value.slice(0, 1000);
  }
  return values;
}

/** The People section of the console. */
export function createAdminPeoplePages(deps: { people: AdminPeopleService; clock: Clock }) {
  async function show(req: Request, res: Response, result: PeoplePage | undefined, errors: FieldErrors): Promise<void> {
    const t = res.locals.t as Translator;
    // A broken page link has no field to sit beside: it is said above the form.
    const { cursor, ...fieldErrors } = errors;
    const query = result?.query;
    await renderPage(
      res,
      'admin/users',
      {
        ...adminFrame(req, res, deps.clock, 'people'),
        errors: cursor ? { _form: cursor, ...fieldErrors } : fieldErrors,
        values: query ? { q: query.q ?? '', source: query.source ?? '', sort: query.sort } : typedValues(req),
        chosenFilters: query?.filter ?? [],
        filters: PEOPLE_FILTERS,
        sources: [{ value: '', label: t('admin.people.anySource') }, ...PEOPLE_SOURCES.map((source) => ({ value: source, label: t(`admin.people.sources.${source}`) }))],
        sorts: PEOPLE_SORT_CHOICES.map((choice) => ({ value: choice, label: t(SORT_LABELS[choice]) })),
        searched: Boolean(query && (query.q || query.filter.length || query.source)),
        people: result?.people.map(row) ?? [],
        count: result?.count ?? 0,
        countCapped: result?.countCapped ?? false,
        nextHref: result?.next && query ? listUrl(query, result.next) : null,
        previousHref: result?.previous && query ? listUrl(query, result.previous) : null,
        now: deps.clock.now(),
      },
      result ? 200 : 422,
    );
  }

  return {
    /** GET /admin/users?q=&filter=&source=&sort=&cursor=: the people, searched, filtered and sorted, a page at a time. */
    list: page(async (req, res) => {
      try {
        await show(req, res, await deps.people.list(req.query), {});
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        await show(req, res, undefined, err.fields);
      }
    }),
  };
}
