import { HttpBrowser, type Reply } from '../helpers/http-browser';
import { childrenOf } from '../helpers/server-process';
import { startServiceProcess, type ServiceProcess } from '../helpers/service-process';

const NEW_PASSWORD = 'harbour lantern quartz 52';
const ACCOUNTS = 6;

type Account = Awaited<ReturnType<ServiceProcess['createAccount']>>;

async function signIn(service: ServiceProcess, account: { username: string }, password: string): Promise<HttpBrowser | undefined> {
  const browser = new HttpBrowser();
  const res = await browser.submit(service, '/login', { identifier: account.username, password });
  return res.status === 303 && res.location !== '/login' ? browser : undefined;
}

const signedIn = async (browser: HttpBrowser, service: ServiceProcess) => (await browser.get(service, '/profile/account')).status === 200;

/** The node processes serving requests: the primary's children (tsx runs the primary as its own child). */
function workerPids(service: ServiceProcess): number[] {
  const primary = childrenOf(service.process.child.pid as number)[0];
  return primary === undefined ? [] : childrenOf(primary);
}

async function until(condition: () => boolean | Promise<boolean>, withinMs: number, what: string): Promise<void> {
  for (const deadline = Date.now() + withinMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) if (await condition()) return;
  throw new Error(`timed out waiting for ${what}`);
}

// Starting the service and signing in at a real bcrypt cost take a while on a busy machine.
jest.setTimeout(120_000);

describe('A worker killed while password changes are in flight', () => {
  let service: ServiceProcess;

  beforeAll(async () => {
    // Cost 11: each change hashes twice, for long enough that several are mid-request at the kill.
    service = await startServiceProcess({ WEB_CONCURRENCY: '2', BCRYPT_COST: '11', LOG_LEVEL: 'info' });
    await until(() => (service.process.log().match(/listening on/g) ?? []).length >= 2, 30_000, 'both workers');
  }, 120_000);

  afterAll(async () => {
    await service?.close();
  });

  it('is replaced by the primary, and each change is either fully applied or not at all', async () => {
    const accounts: Account[] = [];
    for (let i = 0; i < ACCOUNTS; i++) accounts.push(await service.createAccount());
    const people = await Promise.all(
      accounts.map(async (account) => {
        const [laptop, phone] = await Promise.all([signIn(service, account, account.password), signIn(service, account, account.password)]);
        if (!laptop || !phone) throw new Error(`could not sign ${account.username} in`);
        await laptop.get(service, '/profile/password');
        return { account, laptop, phone, csrf: laptop.csrf() };
      }),
    );
    const startedAt = await service.deps.db.raw('select now() as now').then((r: { rows: Array<{ now: Date }> }) => r.rows[0]?.now as Date);
    const [victim] = workerPids(service);
    expect(victim).toBeDefined();

    const changes = people.map(({ laptop, csrf }) =>
      laptop.post(service, '/profile/password', { _csrf: csrf, current_password: accounts[0]?.password as string, password: NEW_PASSWORD, password_confirm: NEW_PASSWORD }).then(
        (reply: Reply) => reply.status,
        () => 'connection lost' as const,
      ),
    );
    await new Promise((r) => setTimeout(r, 300));
    process.kill(victim as number, 'SIGKILL');
    const answers = await Promise.all(changes);

    // The primary starts another worker and says so; the service answers throughout.
    await until(() => service.process.log().includes('worker exited, starting another'), 15_000, 'the primary to notice');
    await until(() => (service.process.log().match(/listening on/g) ?? []).length >= 3, 30_000, 'the new worker');
    expect(workerPids(service)).toHaveLength(2);
    expect(workerPids(service)).not.toContain(victim);
    for (let i = 0; i < 6; i++) expect((await new HttpBrowser().get(service, '/healthz')).status).toBe(200);

    const outcomes: string[] = [];
    for (const [i, { account, phone }] of people.entries()) {
      const db = service.deps.db;
      const row = await service.repos.users.findById(account.id);
      const applied = await service.services.hasher.verify(NEW_PASSWORD, row?.passwordHash ?? null);
      const events = await db('security_events').where({ user_id: account.id, type: 'password_changed' }).where('created_at', '>=', startedAt);
      const mail = await db('mail_outbox').where({ to: account.email, template: 'password_changed' });
      const lockdownLinks = await db('one_time_tokens').where({ user_id: account.id, purpose: 'lockdown' }).where('created_at', '>=', startedAt);
      if (answers[i] === 303) expect({ account: account.username, applied }).toEqual({ account: account.username, applied: true });
      if (applied) {
        expect(row?.passwordChangedAt?.getTime()).toBeGreaterThanOrEqual(startedAt.getTime() - 1000);
        expect([events.length, mail.length, lockdownLinks.length]).toEqual([1, 1, 1]);
        expect(await signedIn(phone, service)).toBe(false);
        expect(await signIn(service, account, account.password)).toBeUndefined();
        expect(await signIn(service, account, NEW_PASSWORD)).toBeDefined();
      } else {
        expect(await service.services.hasher.verify(account.password, row?.passwordHash ?? null)).toBe(true);
        expect([events.length, mail.length, lockdownLinks.length]).toEqual([0, 0, 0]);
        expect(await signedIn(phone, service)).toBe(true);
        expect(await signIn(service, account, account.password)).toBeDefined();
      }
      outcomes.push(`${answers[i]}: ${applied ? 'applied' : 'not applied'}`);
    }
    // The kill met changes in flight: some answers never came.
    expect(answers.filter((a) => a === 'connection lost').length).toBeGreaterThan(0);
    console.log(`password changes at the kill: ${outcomes.join(', ')}`);
  });
});
