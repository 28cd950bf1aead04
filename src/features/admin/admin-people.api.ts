import { z } from 'zod';
import { OPERATIONS } from '../../core/operations';
import { avatarUrl } from '../../core/users/avatar-url';
import type { ApiEndpoint } from '../../http/api/api-endpoint';
import { iso, timestamp } from '../../http/api/api-schemas';
import { PEOPLE_FILTERS, type PersonSummary } from './admin-people.repository';
import { PEOPLE_COUNT_CAP, PEOPLE_PAGE_SIZE, PEOPLE_SORT_CHOICES, PEOPLE_SOURCES, type AdminPeopleService } from './admin-people.service';

const personResponse = z.object({
  id: z.string(),
  username: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  email: z.string(),
  email_verified: z.boolean(),
  role: z.enum(['user', 'admin']),
  source: z.enum(PEOPLE_SOURCES),
  locked: z.boolean(),
  locked_at: timestamp.nullable(),
  two_step: z.boolean(),
  avatar_url: z.string().nullable(),
  created_at: timestamp,
  last_sign_in_at: timestamp.nullable(),
});

const peopleResponse = z.object({
  people: z.array(personResponse),
  count: z.number().int().describe(`How many people match, counted up to ${PEOPLE_COUNT_CAP}`),
  count_capped: z.boolean().describe(`More than ${PEOPLE_COUNT_CAP} match`),
  next_cursor: z.string().nullable().describe('Pass as `cursor` (with the same other parameters) for the next page; null on the last'),
  previous_cursor: z.string().nullable().describe('Pass as `cursor` for the page before; null on the first'),
});

/** The query parameters as the document describes them (the service's schema also reads the form's blanks). */
const peopleQuery = z.object({
  q: z.string().max(200).describe('The start of a username, email address, first or last name, or "first last"; not case-sensitive; % and _ are literal'),
  filter: z.array(z.enum(PEOPLE_FILTERS)).describe('Only people in every one of these states (repeat the parameter)'),
  source: z.enum(PEOPLE_SOURCES).describe('Only accounts from this source'),
  sort: z.enum(PEOPLE_SORT_CHOICES).default('name').describe('The order; a leading - is descending. last_sign_in puts those who never signed in first'),
  cursor: z.string().describe('A page cursor from a previous answer'),
  limit: z.int().min(1).max(100).default(PEOPLE_PAGE_SIZE).describe('People per page'),
});

/** A person as the JSON API lists them: state, never a secret. */
function personView(person: PersonSummary): z.infer<typeof personResponse> {
  return {
    id: person.id,
    username: person.username,
    first_name: person.firstName,
    last_name: person.lastName,
    email: person.email,
    email_verified: person.emailVerified,
    role: person.role,
    source: person.source,
    locked: person.lockedAt !== null,
    locked_at: iso(person.lockedAt),
    two_step: person.mfaEnabled,
    avatar_url: avatarUrl(person.avatarHash, 256),
    created_at: person.createdAt.toISOString(),
    last_sign_in_at: iso(person.lastSignInAt),
  };
}

/** /admin/users: the console's list of people, through the same service as the page. */
export function adminPeopleApi(deps: { people: AdminPeopleService }): ApiEndpoint[] {
  return [
    {
      method: 'get',
      path: '/admin/users',
      operationId: 'adminListUsers',
      operation: OPERATIONS.adminListUsers,
      summary: 'Find people: search, filter, sort, a page at a time',
      tag: 'Administration',
      query: peopleQuery,
      responses: { 200: { description: 'One page of the people that match', schema: peopleResponse }, 422: { description: 'A parameter is not valid; `fields` names it' } },
      /** GET /api/v1/admin/users */
      handler: async (req, res) => {
        const page = await deps.people.list(req.query);
        res.json({ people: page.people.map(personView), count: page.count, count_capped: page.countCapped, next_cursor: page.next ?? null, previous_cursor: page.previous ?? null });
      },
    },
  ];
}
