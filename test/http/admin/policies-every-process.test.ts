import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { closeDeps, createDeps, type Deps } from '../../../src/deps';
import { describeApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';

const t = describeApp();

/**
 * A second application on the same database. On real PostgreSQL it has back-ends of its own
 * (its own pools, as another process has); the embedded database serves one process, so
 * there the second app shares the first one's back-ends but nothing built above them.
 */
async function secondProcess(): Promise<{ app: ReturnType<typeof createApp>['app']; close(): Promise<void> }> {
  if (!t.config.databaseUrl) return { app: createApp(t.deps).app, close: async () => undefined };
  const deps: Deps = await createDeps(loadConfig({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', BCRYPT_COST: '4', BASE_URL: 'http://localhost:3000', DATA_DIR: t.config.dataDir, DATABASE_URL: t.config.databaseUrl, REDIS_URL: t.config.redisUrl, REDIS_KEY_PREFIX: t.config.redisKeyPrefix }), { clock: t.clock });
  return { app: createApp(deps).app, close: () => closeDeps(deps) };
}

describe('Policies saved through one process', () => {
  it('apply in every other process from its next request', async () => {
    const other = await secondProcess();
    try {
      const admin = await signedIn(t, await createUser(t, { admin: true }));
      const visitor = new Visitor(other.app);
      expect((await visitor.get('/signup')).text).toContain('action="/signup"');

      expect((await admin.submit('/admin/settings', { two_step: 'off', grace_days: '0', signup: 'closed', signup_email_domains: '', profile_locked: 'on' })).status).toBe(303);
      expect((await visitor.get('/signup')).text).toContain('Sign-up is closed');
      const person = await signedIn({ ...t, app: other.app }, await createUser(t));
      expect((await person.get('/profile/account')).text).toContain('Your administrator manages these details.');

      expect((await admin.submit('/admin/settings', { two_step: 'off', grace_days: '0', signup: 'open', signup_email_domains: '' })).status).toBe(303);
      expect((await visitor.get('/signup')).text).toContain('action="/signup"');
      expect((await person.get('/profile/account')).text).not.toContain('Your administrator manages these details.');
    } finally {
      await other.close();
    }
  });
});
