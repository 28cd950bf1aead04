import type { Db } from '../../src/infra/db';
import type { Answer, LoadAccount, ProfileLoad } from './load-driver';

/** The last name accounts are created with (outage-stage.ts). */
const FIRST_LAST_NAME = 'Lovelace';

/**
 * Reads the database back after a load through an outage and checks it against what each
 * request was answered: every name change and token creation answered with success is
 * stored; none answered with a failure left anything behind (no name, no token, no activity
 * entry); every token has its activity entry and every entry its token (one transaction).
 * And what people saw agrees: each profile page showed the name of the last change that
 * was confirmed before it was asked for.
 */
export async function expectChangesKeptAsAnswered(db: Db, load: ProfileLoad, accounts: LoadAccount[]): Promise<void> {
  const ids = accounts.map((account) => account.id);
  const users = (await db('users').whereIn('id', ids).select('id', 'last_name')) as Array<{ id: string; last_name: string }>;
  const tokens = (await db('api_tokens').whereIn('user_id', ids).select('id', 'user_id', 'name')) as Array<{ id: string; user_id: string; name: string }>;
  const events = ((await db('security_events').whereIn('user_id', ids).where({ type: 'token_created' }).select('user_id', 'data')) as Array<{ user_id: string; data: unknown }>).map((row) => ({
    userId: row.user_id,
    name: ((typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as { name: string }).name,
  }));

  const mismatches: string[] = [];
  accounts.forEach((account, client) => {
    const mine = load.answers.filter((a) => a.client === client).sort((a, b) => a.startedAt - b.startedAt);
    const changes = mine.filter((a) => a.kind === 'name change');
    const confirmedBefore = (moment: number) => changes.filter((a) => a.succeeded && a.endedAt <= moment).at(-1)?.name?.last ?? FIRST_LAST_NAME;
    const stored = users.find((user) => user.id === account.id)?.last_name;
    if (stored !== confirmedBefore(Infinity)) mismatches.push(`${account.username}: last name ${stored}, but the last confirmed change set ${confirmedBefore(Infinity)}`);
    for (const page of mine.filter((a) => a.kind === 'profile page' && a.succeeded)) {
      if (page.shownLastName !== confirmedBefore(page.startedAt)) mismatches.push(`${account.username}: the profile page at ${page.startedAt} showed ${page.shownLastName}, expected ${confirmedBefore(page.startedAt)}`);
    }

    const creations = mine.filter((a): a is Answer & { token: { name: string; id?: string } } => a.kind === 'token creation' && a.token !== undefined);
    const myTokens = tokens.filter((token) => token.user_id === account.id);
    const myEvents = events.filter((event) => event.userId === account.id);
    for (const creation of creations) {
      const rows = myTokens.filter((token) => token.name === creation.token.name);
      const entries = myEvents.filter((event) => event.name === creation.token.name);
      const expected = creation.succeeded ? 1 : 0;
      if (rows.length !== expected || entries.length !== expected) {
        mismatches.push(`${account.username}: token "${creation.token.name}" answered ${creation.status}, stored ${rows.length} token rows and ${entries.length} activity entries`);
      }
      if (creation.succeeded && rows[0]?.id !== creation.token.id) mismatches.push(`${account.username}: token "${creation.token.name}" was answered with id ${creation.token.id}, stored as ${rows[0]?.id}`);
    }
    const asked = new Set(creations.map((creation) => creation.token.name));
    for (const stray of [...myTokens.map((t) => t.name), ...myEvents.map((e) => e.name)].filter((name) => !asked.has(name))) mismatches.push(`${account.username}: "${stray}" stored but never asked for`);
  });
  expect(mismatches).toEqual([]);
}
