import request from 'supertest';
import { URLS } from '../../../src/http/urls';
import { describeApp } from '../../helpers/app';
import { isApiRoute, routeList } from '../../helpers/route-list';

const t = describeApp();

/** Answered by the OpenID Provider library (its own router), not by a route of ours. */
const PROTOCOL = new Set<string>([URLS.providerDiscovery, URLS.providerEndpoints]);

/** Served by express.static or from installed packages, not by a route of ours. */
const FILES = new Set(['/assets/vendor/simplewebauthn-browser.js', '/assets/vendor/swagger-ui/:file']);

describe('Every page route', () => {
  it('is mounted at a URL from the URL table, and every URL in the table is mounted', () => {
    const routes = routeList(t.app).filter((route) => !FILES.has(route.path));
    const table = new Set<string>(Object.values(URLS));
    // API endpoints are named by their OpenAPI operation instead (a test compares those).
    expect(routes.filter((route) => !isApiRoute(route) && !table.has(route.path)).map((route) => route.label)).toEqual([]);
    const mounted = new Set(routes.map((route) => route.path));
    const unmounted = [...table].filter((path) => !mounted.has(path) && path !== URLS.assets && path !== URLS.api && !PROTOCOL.has(path));
    expect(unmounted).toEqual([]);
  });

  it('leaves the OpenID Provider its discovery document and its endpoints, which the library answers itself', async () => {
    const discovery = await request(t.app).get(URLS.providerDiscovery);
    expect(discovery.status).toBe(200);
    expect(discovery.body.jwks_uri).toBe(`http://localhost:3000${URLS.providerEndpoints}/jwks`);
    expect((await request(t.app).get(`${URLS.providerEndpoints}/jwks`)).status).toBe(200);
  });
});
