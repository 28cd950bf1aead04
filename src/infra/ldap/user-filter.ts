import { Filter, FilterParser } from 'ldapts';

const SLOT = '{identifier}';

/**
 * The search filter for one sign-in name: LDAP_USER_FILTER with every `{identifier}`
 * replaced by the name escaped as RFC 4515 asks (`*`, `(`, `)`, `\` and NUL become
 * `\2a`, `\28`, `\29`, `\5c`, `\00`), then parsed. What a person types is only ever a
 * value in the filter, never a part of its structure.
 */
export function userFilter(template: string, identifier: string): Filter {
  return FilterParser.parseString(template.replaceAll(SLOT, Filter.escape(identifier)));
}

/** Why LDAP_USER_FILTER cannot be used, or undefined when it can. */
export function userFilterProblem(template: string): string | undefined {
  if (!template.includes(SLOT)) return `must contain ${SLOT} where the sign-in name goes, like (|(uid={identifier})(mail={identifier}))`;
  try {
    userFilter(template, 'someone');
    return undefined;
  } catch (err) {
    return `is not an LDAP filter (${(err as Error).message}); write it as RFC 4515 does, like (&(objectClass=person)(uid={identifier}))`;
  }
}
