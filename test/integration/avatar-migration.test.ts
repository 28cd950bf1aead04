import request from 'supertest';
import { describeApp } from '../helpers/app';
import { createUser } from '../helpers/factories';
import * as images from '../helpers/images';

const t = describeApp();

const MIGRATION = '20261202000200_avatars_per_account';

describe('Rolling back per-account avatars', () => {
  it('keeps every account showing its picture, then migrates forward again', async () => {
    const picture = await images.solidPng(240, 240, { r: 90, g: 90, b: 200 });
    const users = [await createUser(t), await createUser(t), await createUser(t)];
    const hashes = [];
    for (const user of users) hashes.push(await t.services.avatars.upload(user, picture));
    expect(new Set(hashes).size).toBe(1);

    await t.deps.db.migrate.down({ name: MIGRATION });
    expect(await t.deps.db('avatars').where({ content_hash: hashes[0] }).count({ n: '*' })).toEqual([{ n: 1 }]);
    for (const user of users) {
      const { avatarHash } = (await t.repos.users.findById(user.id)) ?? {};
      expect((await request(t.app).get(`/avatars/${avatarHash}/96.webp`)).status).toBe(200);
    }

    await t.deps.db.migrate.up({ name: MIGRATION });
    const another = await createUser(t);
    expect(await t.services.avatars.upload(another, picture)).toBe(hashes[0]);
  });
});
