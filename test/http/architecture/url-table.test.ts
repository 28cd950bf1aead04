import { URLS } from '../../../src/http/urls';
import { describeApp } from '../../helpers/app';
import { isApiRoute, routeList } from '../../helpers/route-list';

const t = describeApp();

/** Served by express.static or from installed packages, not by a route of ours. */
const FILES = new Set(['/assets/vendor/simplewebauthn-browser.js', '/assets/vendor/swagger-ui/:file']);

describe('Every page route', () => {
  it('is mounted at a URL from the URL table, and every URL in the table is mounted', () => {
    const routes = routeList(t.app).filter((route) => !FILES.has(route.path));
    const table = new Set<string>(Object.values(URLS));
    // API endpoints are named by their OpenAPI operation instead (a test compares those).
    expect(routes.filter((route) => !isApiRoute(route) && !table.has(route.path)).map((route) => route.label)).toEqual([]);
    const mounted = new Set(routes.map((route) => route.path));
    const unmounted = [...table].filter((path) => !mounted.has(path) && path !== URLS.assets && path !== URLS.api);
    expect(unmounted).toEqual([]);
  });
});
