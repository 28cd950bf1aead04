import crypto from 'node:crypto';
import { describeApp } from '../helpers/app';
import { createUser } from '../helpers/factories';

const DAY = 86_400_000;
const HOUR = 3_600_000;

const t = describeApp({ ACTIVITY_RETENTION_DAYS: '400', FAILED_MAIL_RETENTION_DAYS: '30', DELETED_RESERVE_DAYS: '1' }, { mail: true });

const ago = (ms: number) => new Date(t.clock.now().getTime() - ms);
const from = (ms: number) => new Date(t.clock.now().getTime() + ms);

async function token(userId: string, label: string, times: { expiresAt: Date; usedAt?: Date }) {
  await t.repos.oneTimeTokens.insert({ purpose: 'email_verify', userId, tokenHash: crypto.randomBytes(32).toString('hex'), payload: { label }, expiresAt: times.expiresAt, now: ago(10 * DAY) });
  if (times.usedAt) await t.deps.db('one_time_tokens').whereRaw("payload->>'label' = ?", [label]).update({ used_at: times.usedAt });
}

async function mail(to: string, times: { createdAt: Date; sentAt?: Date; failedAt?: Date }) {
  await t.deps.db('mail_outbox').insert({ to, template: 'email_verification', locale: 'en', data: times.sentAt || times.failedAt ? null : 'v1:x', next_attempt_at: times.createdAt, created_at: times.createdAt, sent_at: times.sentAt ?? null, failed_at: times.failedAt ?? null });
}

const column = async (table: string, name: string, where: Record<string, unknown> = {}) => (await t.deps.db(table).where(where).select(name)).map((row) => String(row[name])).sort();

/** The `label` each row of a user carries in its JSON column, sorted. */
async function labels(table: string, jsonColumn: string, userId: string): Promise<string[]> {
  const rows = await t.deps.db(table).where({ user_id: userId }).select(jsonColumn);
  return rows.map((row) => (typeof row[jsonColumn] === 'string' ? JSON.parse(row[jsonColumn]) : row[jsonColumn]).label as string).sort();
}

describe('Data retention', () => {
  it('deletes each kind of row once its period has passed, and touches nothing younger or unrelated', async () => {
    const user = await createUser(t);
    const usersBefore = await column('users', 'id');
    await t.repos.events.record({ userId: user.id, type: 'signed_in', data: { label: 'old' }, now: ago(401 * DAY) });
    await t.repos.events.record({ userId: user.id, type: 'signed_in', data: { label: 'young' }, now: ago(399 * DAY) });
    await t.repos.knownDevices.remember(user.id, 'unseen-for-401-days', ago(401 * DAY));
    await t.repos.knownDevices.remember(user.id, 'seen-last-week', ago(7 * DAY));
    await token(user.id, 'expired-8-days-ago', { expiresAt: ago(8 * DAY) });
    await token(user.id, 'used-8-days-ago', { expiresAt: from(DAY), usedAt: ago(8 * DAY) });
    await token(user.id, 'used-yesterday', { expiresAt: from(DAY), usedAt: ago(DAY) });
    await token(user.id, 'expired-yesterday', { expiresAt: ago(DAY) });
    await token(user.id, 'still-usable', { expiresAt: from(DAY) });
    await t.repos.deletedIdentities.reserve({ username: 'left-long-ago', email: 'left-long-ago@example.com' }, ago(60_000));
    await t.repos.deletedIdentities.reserve({ username: 'left-today', email: 'left-today@example.com' }, from(DAY));
    await mail('sent-25-hours-ago@example.com', { createdAt: ago(26 * HOUR), sentAt: ago(25 * HOUR) });
    await mail('sent-an-hour-ago@example.com', { createdAt: ago(2 * HOUR), sentAt: ago(HOUR) });
    await mail('given-up-31-days-ago@example.com', { createdAt: ago(32 * DAY), failedAt: ago(31 * DAY) });
    await mail('given-up-29-days-ago@example.com', { createdAt: ago(30 * DAY), failedAt: ago(29 * DAY) });
    await mail('still-queued@example.com', { createdAt: ago(40 * DAY) });
    await t.repos.oidcPayloads.upsert('AccessToken', 'expired-a-minute-ago', { accountId: user.id }, ago(60_000), ago(HOUR));
    await t.repos.oidcPayloads.upsert('AccessToken', 'valid-for-a-minute', { accountId: user.id }, from(60_000), ago(HOUR));
    await t.repos.oidcPayloads.upsert('Session', 'expired-session', { accountId: user.id }, ago(1), ago(DAY));

    expect(await t.services.dataRetention.purge()).toEqual({ sentMail: 1, failedMail: 1, spentTokens: 2, activity: 1, adminAudit: 0, knownDevices: 1, deletedIdentities: 2, providerRecords: 2 });

    expect(await labels('security_events', 'data', user.id)).toEqual(['young']);
    expect(await column('known_devices', 'device_hash', { user_id: user.id })).toEqual(['seen-last-week']);
    expect(await labels('one_time_tokens', 'payload', user.id)).toEqual(['expired-yesterday', 'still-usable', 'used-yesterday']);
    expect(await t.repos.deletedIdentities.isReserved('username', 'left-today', t.clock.now())).toBe(true);
    expect(await t.deps.db('deleted_identities').count({ n: '*' })).toEqual([{ n: 2 }]);
    expect(await column('mail_outbox', 'to')).toEqual(['given-up-29-days-ago@example.com', 'sent-an-hour-ago@example.com', 'still-queued@example.com']);
    expect(await column('users', 'id')).toEqual(usersBefore);
    expect(await column('oidc_payloads', 'id')).toEqual(['valid-for-a-minute']);

    expect(await t.services.dataRetention.purge()).toEqual({ sentMail: 0, failedMail: 0, spentTokens: 0, activity: 0, adminAudit: 0, knownDevices: 0, deletedIdentities: 0, providerRecords: 0 });
  });

  it('leaves nothing of a deleted account once its reserve days have passed: neither the farewell mail nor the reserved digests', async () => {
    await t.deps.db('deleted_identities').del();
    const user = await createUser(t, { username: 'farewell', email: 'farewell@example.com' });
    await t.services.accountDeletion.delete(user, { ip: '203.0.113.9', userAgent: 'test', locale: 'en' });
    expect(await t.deliverMail()).toBe(1);
    expect(t.mail.last('farewell@example.com').subject).toBeTruthy();
    expect(await t.deps.db('mail_outbox').where({ to: 'farewell@example.com' }).count({ n: '*' })).toEqual([{ n: 1 }]);
    expect(await t.deps.db('deleted_identities').count({ n: '*' })).toEqual([{ n: 2 }]);

    t.clock.advance(400 * DAY);
    await t.services.dataRetention.purge();
    expect(await t.deps.db('mail_outbox').where({ to: 'farewell@example.com' })).toEqual([]);
    expect(await t.deps.db('deleted_identities')).toEqual([]);
  });
});
