import type { Knex } from 'knex';
import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { secretOnPage, totpAt } from '../../helpers/totp';

const NEW_PASSWORD = 'orchard velvet comet 84';

const t = describeApp({}, { mail: true });
beforeAll(async () => {
  await t.deps.db.raw("create function injected_failure() returns trigger language plpgsql as $$ begin raise exception 'injected failure half-way through the change'; end $$");
});

/**
 * Makes the database refuse one kind of row, as a crash or a full disk would half-way
 * through a change; `undo` takes the trigger away again.
 */
async function failWhenInserting(db: Knex, table: string, when = 'true'): Promise<{ undo(): Promise<void> }> {
  await db.raw(`create trigger injected_failure before insert on ${table} for each row when (${when}) execute function injected_failure()`);
  return { undo: async () => void (await db.raw(`drop trigger injected_failure on ${table}`)) };
}

/** Every row the database holds about one account (its own row included), except the session store's. */
async function everythingAbout(userId: string): Promise<string> {
  const tables = await t.deps
    .db('information_schema.columns')
    .where({ column_name: 'user_id' })
    .whereRaw('table_schema = current_schema()')
    .whereNot({ table_name: 'sessions' })
    .orderBy('table_name')
    .pluck('table_name');
  const rows = await Promise.all(tables.map(async (table: string) => [table, await t.deps.db(table).where({ user_id: userId }).orderBy(1)]));
  const outbox = await t.deps.db('mail_outbox').count({ n: '*' }).first();
  return JSON.stringify({ user: await t.deps.db('users').where({ id: userId }).first(), rows, outbox });
}

describe('A change that fails half-way', () => {
  it('changing the password, when its notice cannot be queued, leaves the password, the reset links, the activity and the sessions as they were', async () => {
    const user = await createUser(t);
    await new Visitor(t.app).submit('/forgot-password', { email: user.email });
    await t.deps.background.drain();
    const visitor = await signedIn(t, user);
    const tab = await visitor.get('/profile/password');
    const before = await everythingAbout(user.id);
    expect(before).toContain('password_reset');

    const failure = await failWhenInserting(t.deps.db, 'mail_outbox');
    const res = await visitor.post('/profile/password', { _csrf: csrfTokenIn(tab.text), current_password: user.password, password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    await failure.undo();
    expect(res.status).toBe(500);
    expect(await everythingAbout(user.id)).toBe(before);
    expect((await visitor.get('/profile/password')).status).toBe(200);
    expect((await new Visitor(t.app).submit('/login', { identifier: user.username, password: user.password })).status).toBe(303);

    // Without the injected failure the very same change goes through, so it was the failure that undid it.
    const again = await visitor.get('/profile/password');
    const done = await visitor.post('/profile/password', { _csrf: csrfTokenIn(again.text), current_password: user.password, password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    expect(done.status).toBe(303);
    expect(await everythingAbout(user.id)).not.toBe(before);
  });

  it('turning on the authenticator app, when its recovery codes cannot be stored, leaves no app, no event and no notice behind', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const setup = await visitor.get('/profile/security/totp');
    const secret = secretOnPage(setup.text);
    const before = await everythingAbout(user.id);

    const failure = await failWhenInserting(t.deps.db, 'authenticators', "new.type = 'recovery_codes'");
    const res = await visitor.post('/profile/security/totp', { _csrf: csrfTokenIn(setup.text), code: totpAt(secret, t.clock.now()) });
    await failure.undo();
    expect(res.status).toBe(500);
    expect(await everythingAbout(user.id)).toBe(before);
    expect((await visitor.get('/profile/security')).text).not.toContain('On since');

    t.clock.advance(30_000);
    const retry = await visitor.get('/profile/security/totp');
    const done = await visitor.post('/profile/security/totp', { _csrf: csrfTokenIn(retry.text), code: totpAt(secretOnPage(retry.text), t.clock.now()) });
    expect(done.headers.location).toBe('/profile/security/recovery-codes');
    expect(await everythingAbout(user.id)).not.toBe(before);
  });
});
