import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';
import { authorizationRequest, listen, registerApp, relyingParty, walk } from '../../helpers/relying-party';

describe("where the provider keeps its records, so that every process shares them", () => {
  const t = describeApp();

  it('keeps the sign-in step in Redis when Redis is configured (else in the database), and grants in the database, tied to the account', async () => {
    const server = await listen(t);
    try {
      const app = await registerApp(t);
      const config = await relyingParty(app, server.origin);
      const user = await createUser(t);
      const visitor = await signedIn(t, user);
      const started = await visitor.get((await authorizationRequest(config, app)).path);
      const uid = (started.headers.location as string).split('/').at(-1) as string;
      const sqlRow = await t.deps.db('oidc_payloads').where({ model: 'Interaction', id: uid }).first();
      if (t.deps.redis) {
        expect(await t.deps.redis.get(`${t.config.redisKeyPrefix}oidc:Interaction:${uid}`)).toContain(uid);
        expect(sqlRow).toBeUndefined();
      } else {
        expect(sqlRow).toBeDefined();
      }
      await walk(visitor, `/interaction/${uid}`, { consent: 'allow' });
      const grants = await t.deps.db('oidc_payloads').where({ model: 'Grant', account_id: user.id });
      expect(grants).toHaveLength(1);
      expect(grants[0].client_id).toBe(app.clientId);
    } finally {
      await server.close();
    }
  });
});
