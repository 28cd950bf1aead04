import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';
import { concretePath, liveRoutes } from '../../helpers/route-list';

const FOREIGN_ORIGINS = ['https://evil.example', 'null', 'http://localhost:3000.evil.example'];
const ctx = { ip: '127.0.0.1', userAgent: 'test', locale: 'en' as const };

const t = describeApp();

/** Every CORS grant a response could carry. */
function corsGrants(res: request.Response): Record<string, string> {
  return Object.fromEntries(Object.entries(res.headers).filter(([name]) => name.startsWith('access-control-'))) as Record<string, string>;
}

describe('Requests from another origin', () => {
  it('are never granted by CORS: no route answers with Access-Control-Allow-Origin, preflight or not, signed in or not', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const { secret } = await t.services.apiTokens.create(user, { name: 'cors', scope: 'write', expires: '30' }, ctx);
    const routes = liveRoutes(t.app);
    expect(routes.length).toBeGreaterThan(60);

    const answers: Array<{ route: string; grants: Record<string, string> }> = [];
    // Each route is asked from one of the foreign origins in turn: every spelling is used, and the walk stays quick.
    for (const [index, route] of routes.entries()) {
      const path = concretePath(route.path, { username: user.username });
      const origin = FOREIGN_ORIGINS[index % FOREIGN_ORIGINS.length] as string;
      const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
      const call = visitor.agent[method](path).set('Origin', origin);
      const direct = await (path.startsWith('/api/v1/') ? call.set('Authorization', `Bearer ${secret}`) : call);
      const preflight = await request(t.app)
        .options(path)
        .set('Origin', origin)
        .set('Access-Control-Request-Method', route.method)
        .set('Access-Control-Request-Headers', 'authorization, content-type, x-csrf-token');
      answers.push({ route: `${route.method} ${path} from ${origin}`, grants: corsGrants(direct) });
      answers.push({ route: `OPTIONS ${path} from ${origin}`, grants: corsGrants(preflight) });
    }
    expect(answers.filter((a) => Object.keys(a.grants).length > 0)).toEqual([]);
    expect(answers.length).toBe(routes.length * 2);
  });

  it('is not granted to the own origin either: the pages and the API are same-origin only', async () => {
    for (const path of ['/', '/login', '/api/v1/openapi.json', '/api/v1/users/me']) {
      const res = await request(t.app).get(path).set('Origin', t.config.baseUrl.origin);
      expect({ path, grants: corsGrants(res) }).toEqual({ path, grants: {} });
    }
  });
});
