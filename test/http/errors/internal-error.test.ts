import express from 'express';
import request from 'supertest';
import { errorHandler } from '../../../src/http/error-handler';
import { secretRoutesOf } from '../../../src/http/secret-routes';
import { createCatalogues } from '../../../src/infra/i18n';
import { captureLogs } from '../../helpers/log-capture';

/** The error handler on its own, behind a route that fails the way a bug would. */
function appThatFails() {
  const logs = captureLogs('error');
  const app = express();
  app.set('views', `${__dirname}/../../../views`);
  app.set('view engine', 'ejs');
  const catalogues = createCatalogues();
  app.use((_req, res, next) => {
    Object.assign(res.locals, {
      t: catalogues.translator('en'),
      locale: 'en',
      localeTag: 'en',
      theme: null,
      productName: 'Atrium',
      locales: [],
      themes: [],
      currentPath: '/',
      viewer: null,
      takeFlash: () => [],
      csrfToken: () => '',
      assetVersion: 'test',
    });
    next();
  });
  app.get('/boom', () => {
    throw new Error('secret internal detail at /srv/app/db.ts:42');
  });
  app.use(errorHandler(logs.logger, catalogues, { baseUrl: new URL('http://localhost:3000'), secretRoutes: secretRoutesOf(app) }));
  return { app, logs };
}

describe('An unexpected failure', () => {
  it('is a 500 page that reveals nothing, and the details go to the log', async () => {
    const { app, logs } = appThatFails();
    const res = await request(app).get('/boom').set('Accept', 'text/html');
    expect(res.status).toBe(500);
    expect(res.text).toContain('Something went wrong on our side.');
    expect(res.text).not.toContain('secret internal detail');
    expect(res.text).not.toMatch(/at \w+ \(/);
    expect(logs.text()).toContain('secret internal detail');
  });

  it('is a 500 JSON error for API clients', async () => {
    const { app } = appThatFails();
    const res = await request(app).get('/boom').set('Accept', 'application/json');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'internal_error', message: expect.stringContaining('Something went wrong') } });
  });
});
