// A personal access token lives at most a year: the last date it may be given is 365 days after today.
import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';

const DAY = 86_400_000;
const TOO_FAR = 'A token can be valid for at most one year.';
const t = describeApp();

const dayAfterToday = (days: number) => new Date(Date.UTC(2030, 2, 10) + days * DAY).toISOString().slice(0, 10);

describe('A custom expiry date', () => {
  it.each(['00:00:00.000', '12:00:00.000', '23:59:59.500'])('may be 365 days after today but not 366, on the form, at %s', async (time) => {
    t.clock.set(`2030-03-10T${time}Z`);
    const visitor = await signedIn(t, await createUser(t));
    const tooFar = await visitor.submit('/profile/tokens', { name: 'Dated', scope: 'read', expires: 'custom', expires_on: dayAfterToday(366) });
    expect(tooFar.status).toBe(422);
    expect(tooFar.text).toContain(TOO_FAR);
    expect(tooFar.text).toContain(`max="${dayAfterToday(365)}"`);
    const lastDay = await visitor.submit('/profile/tokens', { name: 'Dated', scope: 'read', expires: 'custom', expires_on: dayAfterToday(365) });
    expect(lastDay.status).toBe(303);
  });

  it.each(['00:00:00.000', '23:59:59.500'])('may be 365 days after today but not 366, through the API, at %s', async (time) => {
    t.clock.set(`2030-03-10T${time}Z`);
    const user = await createUser(t);
    const { secret } = await t.services.apiTokens.create(user, { name: 'Creator', scope: 'write', expires: '30' }, { ip: '127.0.0.1', userAgent: 'test', locale: 'en' });
    const post = (expiresOn: string) => request(t.app).post('/api/v1/users/me/tokens').set('Authorization', `Bearer ${secret}`).send({ name: 'Dated', scope: 'read', expires_on: expiresOn, current_password: user.password });
    const tooFar = await post(dayAfterToday(366));
    expect(tooFar.status).toBe(422);
    expect(tooFar.body.error.fields).toEqual({ expires_on: TOO_FAR });
    const lastDay = await post(dayAfterToday(365));
    expect(lastDay.status).toBe(201);
    expect(lastDay.body.expires_at).toBe(`${dayAfterToday(365)}T23:59:59.000Z`);
  });

  it('is explained in German when it is too far ahead', async () => {
    t.clock.set('2030-03-10T23:59:59.500Z');
    const visitor = await signedIn(t, await createUser(t, { language: 'de' }));
    const res = await visitor.submit('/profile/tokens', { name: 'Dated', scope: 'read', expires: 'custom', expires_on: dayAfterToday(366) });
    expect(res.status).toBe(422);
    expect(res.text).toContain('höchstens ein Jahr');
  });
});
