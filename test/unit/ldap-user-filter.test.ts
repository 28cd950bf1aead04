import fc from 'fast-check';
import { EqualityFilter, OrFilter } from 'ldapts';
import { userFilter, userFilterProblem } from '../../src/infra/ldap/user-filter';

const TEMPLATE = '(|(uid={identifier})(mail={identifier}))';

describe('The directory search filter for a sign-in name', () => {
  it('keeps whatever was typed as the value of each assertion, never as filter syntax', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (identifier) => {
        const filter = userFilter(TEMPLATE, identifier);
        expect(filter).toBeInstanceOf(OrFilter);
        const parts = (filter as OrFilter).filters;
        expect(parts).toHaveLength(2);
        for (const part of parts) {
          expect(part).toBeInstanceOf(EqualityFilter);
          expect((part as EqualityFilter).value).toBe(identifier);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('escapes the characters RFC 4515 names', () => {
    expect(userFilter('(uid={identifier})', '*)(uid=\\2a\u0000').toString()).toBe('(uid=\\2a\\29\\28uid=\\5c2a\\00)');
  });

  it('explains a template it cannot use', () => {
    expect(userFilterProblem(TEMPLATE)).toBeUndefined();
    expect(userFilterProblem('(uid=ada)')).toMatch(/must contain \{identifier\}/);
    expect(userFilterProblem('(uid={identifier}')).toMatch(/is not an LDAP filter/);
  });
});
