import crypto from 'node:crypto';
import { createSingleUseClaims, type SingleUseClaims } from '../../src/infra/single-use-claims';
import { describeApp } from '../helpers/app';
import { atOnce } from '../helpers/concurrency';

const t = describeApp();

/** Each call is a separate instance, as each server process builds its own. */
const stores: Array<[string, () => SingleUseClaims]> = [['SQL store', () => createSingleUseClaims({ db: t.deps.db, keyPrefix: t.config.redisKeyPrefix })]];
if (process.env.TEST_BACKEND === 'real') stores.push(['Redis store', () => createSingleUseClaims({ redis: t.deps.redis, db: t.deps.db, keyPrefix: t.config.redisKeyPrefix })]);

const key = () => `test:${crypto.randomBytes(16).toString('base64url')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(stores)('The single-use claims %s', (_name, make) => {
  it('gives a value to exactly one of many claims made at once from several processes', async () => {
    const processes = [make(), make(), make()];
    const value = key();
    const answers = await atOnce(12, (i) => (processes[i % processes.length] as SingleUseClaims).claim(value, 60_000));
    expect(answers.filter(Boolean)).toHaveLength(1);
    expect(await (processes[0] as SingleUseClaims).claim(key(), 60_000)).toBe(true);
  });

  it('lets a value be claimed again only once its time has passed', async () => {
    const claims = make();
    const value = key();
    expect(await claims.claim(value, 300)).toBe(true);
    expect(await claims.claim(value, 300)).toBe(false);
    await sleep(600);
    expect(await claims.claim(value, 300)).toBe(true);
  });
});

describe('The single-use claims SQL store', () => {
  it('deletes expired claims as it goes, so the table does not grow', async () => {
    await t.deps.db('single_use_claims').insert({ key: 'expired-long-ago', expires_at: new Date(Date.now() - 3_600_000) });
    await createSingleUseClaims({ db: t.deps.db, keyPrefix: '' }).claim(key(), 60_000);
    expect(await t.deps.db('single_use_claims').where({ key: 'expired-long-ago' })).toEqual([]);
  });
});
