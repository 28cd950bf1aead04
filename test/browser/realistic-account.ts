import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { User } from '../../src/core/users/user';
import type { RequestContext } from '../../src/http/request-context';
import type { TokenLifetime } from '../../src/features/credentials/api-tokens.service';
import type { TestApp } from '../helpers/app';
import { csrfTokenIn } from '../helpers/browser-agent';
import { GOOD_PASSWORD, createUser } from '../helpers/factories';
import { secretOnPage, totpAt } from '../helpers/totp';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * What the sweep's site needs for this account's history to stay alive: sessions that are
 * days old (idle and absolute limits at their maximum), addresses from X-Forwarded-For.
 */
export const REALISTIC_SITE_ENV = { TRUST_PROXY: 'loopback', SESSION_IDLE_MINUTES: '1440', SESSION_ABSOLUTE_HOURS: '720', REAUTH_MINUTES: '60' };

/** Nine devices besides the browser that runs the sweep: when each signed in, when it was last seen. */
const DEVICES = [
  { ip: '203.0.113.24', created: 26 * DAY, seen: 3 * HOUR, ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' },
  { ip: '2001:db8:85a3::8a2e:370:7334', created: 12 * DAY, seen: 20 * MINUTE, ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1' },
  { ip: '198.51.100.7', created: 9 * DAY, seen: 5 * HOUR, ua: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' },
  { ip: '192.0.2.41', created: 5 * DAY, seen: 23 * HOUR, ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15' },
  { ip: '203.0.113.77', created: 3 * DAY, seen: 45 * MINUTE, ua: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.104 Mobile Safari/537.36' },
  { ip: '198.51.100.203', created: 2 * DAY, seen: 2 * HOUR, ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86' },
  { ip: '2001:db8:1::42', created: 20 * DAY, seen: 9 * HOUR, ua: 'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1' },
  { ip: '192.0.2.150', created: 1 * DAY, seen: 12 * HOUR, ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0' },
  { ip: '203.0.113.200', created: 6 * HOUR, seen: 1 * HOUR, ua: 'Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36' },
];

/** Twenty tokens: every scope and lifetime, used recently, long ago or never, one expired, allow-lists, long and non-Latin names. */
const TOKENS: { name: string; scope: 'read' | 'write'; expires: TokenLifetime; created: number; used?: number; allowedIps?: string }[] = [
  { name: 'Nightly backup of the family photo archive', scope: 'read', expires: '90', created: 40 * DAY, used: 2 * HOUR, allowedIps: '203.0.113.0/24, 2001:db8::/32' },
  { name: 'Deploy', scope: 'write', expires: '7', created: 6 * DAY, used: 3 * DAY },
  { name: 'CI · GitHub Actions', scope: 'write', expires: '30', created: 10 * DAY, used: 5 * MINUTE },
  { name: 'Home Assistant', scope: 'read', expires: '365', created: 200 * DAY, used: 1 * DAY },
  { name: 'Grafana dashboard', scope: 'read', expires: '90', created: 15 * DAY },
  { name: 'Terraform state sync', scope: 'write', expires: 'custom', created: 3 * DAY, used: 50 * MINUTE },
  { name: 'Old token from the migration', scope: 'write', expires: '30', created: 45 * DAY, used: 20 * DAY },
  { name: 'Raspberry Pi weather station', scope: 'read', expires: '365', created: 300 * DAY, used: 10 * MINUTE, allowedIps: '192.168.1.0/24' },
  { name: 'Zapier integration', scope: 'write', expires: '90', created: 60 * DAY, used: 30 * DAY },
  { name: 'Nextcloud sync', scope: 'read', expires: '30', created: 2 * DAY },
  { name: 'Obsidian plugin', scope: 'read', expires: '7', created: 1 * DAY, used: 4 * HOUR },
  { name: 'Jenkins (legacy)', scope: 'write', expires: '365', created: 340 * DAY, used: 90 * DAY },
  { name: 'Prometheus exporter — production cluster eu-central-1', scope: 'read', expires: '90', created: 20 * DAY, used: 1 * MINUTE },
  { name: 'Кључ за резервне копије', scope: 'read', expires: '30', created: 8 * DAY, used: 6 * DAY },
  { name: 'Datensicherung Büro (Synology DiskStation)', scope: 'write', expires: '365', created: 100 * DAY, used: 7 * HOUR },
  { name: 'release-pipeline-automated-publisher-for-npm-and-containers', scope: 'write', expires: '90', created: 30 * DAY, used: 12 * DAY },
  { name: 'iOS Shortcuts', scope: 'read', expires: 'custom', created: 14 * DAY },
  { name: 'Renovate bot', scope: 'write', expires: '30', created: 29 * DAY, used: 1 * HOUR },
  { name: 'Test', scope: 'read', expires: '7', created: 10 * DAY },
  { name: 'Laptop scripts', scope: 'write', expires: '90', created: 5 * DAY, used: 2 * DAY },
];

/** Throw-away public keys (their private halves were never kept), one of each common type. */
const SSH_KEYS = [
  { title: 'Work laptop', key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBlNH8EGZwPyysZ7eE1QQS+6qq+YG/qBwTde/vH+4NFn ana@work-laptop' },
  { title: 'YubiKey 5 NFC', key: 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBGj6st5JKuQz6Tvs4+VneyjzyfxV/t/zJeW+SJm2bu+ZXW2SR8ijPdGCrfTAAeWbUxOQ95Yh4czQ+YqSPH3DTMI= ana@yubikey' },
  {
    title: 'Old desktop at home (Debian)',
    key: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQCsT0jzdhJ+X3IF8w76ynflX+lScuqGF3lnax/Xmo3HGY2H1oAN/GCpOXXqAkZQgYjKLubJ4eqeOgQ9Y7opRiIn6YyS/T2c7/0ekw9X2p0k5eYCO6GmQhyuld99n6uqN/7q2a1dfcFb6K9zo5EYUk7bNs17eJdB5rBYIsmqFMwXy27ei7u+gV8Og47/JCKols6nDSFpi0a4rVMARle5ZwTPDKKjpeLQuzoj/pyLMo7bhgnV1Sr8VwSuwc5+2KzvtriWwEx/LDNAFLYfy+7JPOOrOZdsJyR4ayPaXDznugJl/AxLm+SN5CbvMVuhEuGiSu9LANYbLyc/PBCD++UkisHXpe8HQvZuDdV3doCn1hfFlSufYoCJ4F1a7rww9ElE4l9aKJBaipJHKZCcCZYPHx7I+1Gg4xDIRaxLOJd/7+2pJ5EpcULcavtWUZZPuEqyLzRjCRUzthwLuv3r0rWoRmu1iSziBsmW99e6e46CaCQ0Y7/k2CUxzQqubvttfMWSth0= ana@desktop',
  },
];

/** A device's browser, as the app sees it through a proxy: its own cookies, user agent and address. */
function deviceAgent(t: TestApp, device: { ip: string; ua: string }) {
  const agent: TestAgent = request.agent(t.app);
  const withHeaders = <R extends { set(name: string, value: string): R }>(req: R) => req.set('User-Agent', device.ua).set('X-Forwarded-For', device.ip).set('Accept', 'text/html');
  return {
    get: (path: string) => withHeaders(agent.get(path)),
    async submit(path: string, fields: Record<string, string>, action = path) {
      const page = await withHeaders(agent.get(path));
      return withHeaders(agent.post(action)).type('form').send({ _csrf: csrfTokenIn(page.text), ...fields });
    },
  };
}

export interface RealisticAccount {
  user: User & { password: string };
  totpSecret: string;
}

/**
 * One person with a year of history: sessions on nine devices, twenty tokens, two app
 * passwords, three SSH keys, a failed sign-in, and two-step verification on with recovery
 * codes. Everything goes through the services and the sign-in form, with the clock set
 * to when it happened; the clock ends where it started.
 */
export async function seedRealisticAccount(t: TestApp): Promise<RealisticAccount> {
  const now = t.clock.now().getTime();
  // The account exists before its history: a session signed in before the password was set
  // would be one signed in before a password change, which the app ends.
  t.clock.set(new Date(now - 400 * DAY));
  const user = await createUser(t, { username: 'ana.petrovic', email: 'ana.petrovic@example.com', firstName: 'Ana', lastName: 'Petrović', password: GOOD_PASSWORD, emailVerified: true });
  const ctx = (ip: string): RequestContext => ({ ip, userAgent: 'curl/8.5.0', locale: 'en' });
  // The activity log lists events in the order they were written, so the history is played
  // in time order: each step runs with the clock at its moment.
  const steps: { ago: number; run: () => Promise<unknown> }[] = [];
  const at = (ago: number, run: () => Promise<unknown>) => steps.push({ ago, run });

  for (const [i, spec] of TOKENS.entries()) {
    const expiresOn = new Date(now + (i + 20) * DAY).toISOString().slice(0, 10);
    let secret = '';
    at(spec.created, async () => {
      ({ secret } = await t.services.apiTokens.create(user, { name: spec.name, scope: spec.scope, expires: spec.expires, expiresOn, allowedIps: spec.allowedIps }, ctx('203.0.113.24')));
    });
    if (spec.used !== undefined) at(spec.used, () => t.services.apiAccess.bearer(secret, ctx(spec.allowedIps?.startsWith('192.168') ? '192.168.1.20' : '203.0.113.24')));
  }
  let mailPassword = '';
  at(80 * DAY, async () => {
    ({ secret: mailPassword } = await t.services.appPasswords.create(user, { name: 'Thunderbird on the desktop', scope: 'read' }, ctx('192.0.2.41')));
    await t.services.appPasswords.create(user, { name: 'Calendar on my phone (DAVx⁵)', scope: 'write' }, ctx('203.0.113.77'));
  });
  at(15 * MINUTE, () => t.services.apiAccess.basic(user.username, mailPassword, ctx('192.0.2.41')));
  for (const [i, key] of SSH_KEYS.entries()) at((3 - i) * 33 * DAY, () => t.services.sshKeys.add(user, key, ctx('198.51.100.7')));

  let totpSecret = '';
  for (const device of DEVICES) {
    const browser = deviceAgent(t, device);
    at(device.created, async () => {
      const signIn = await browser.submit('/login', { identifier: user.username, password: GOOD_PASSWORD });
      if (signIn.status !== 303) throw new Error(`Seeding: sign-in from ${device.ua} answered ${signIn.status}`);
      if (device === DEVICES[DEVICES.length - 1]) totpSecret = await enrolTotp(t, browser);
    });
    // A request at least every 20 hours keeps the session inside the 24-hour idle limit.
    for (let ago = device.created - 20 * HOUR; ago > device.seen; ago -= 20 * HOUR) at(ago, () => browser.get('/'));
    at(device.seen, () => browser.get('/profile/account'));
  }
  at(4 * HOUR, () => deviceAgent(t, { ip: '198.51.100.99', ua: DEVICES[2]!.ua }).submit('/login', { identifier: user.username, password: 'not my password at all' }));

  for (const step of steps.sort((a, b) => b.ago - a.ago)) {
    t.clock.set(new Date(now - step.ago));
    await step.run();
  }
  t.clock.set(new Date(now));
  return { user, totpSecret };
}

/** Turns on the authenticator app through the Security tab and says the codes are saved. */
async function enrolTotp(t: TestApp, browser: ReturnType<typeof deviceAgent>): Promise<string> {
  const setup = await browser.get('/profile/security/totp');
  const secret = secretOnPage(setup.text);
  const enabled = await browser.submit('/profile/security/totp', { code: totpAt(secret, t.clock.now()) });
  if (enabled.headers.location !== '/profile/security/recovery-codes') throw new Error(`Seeding: two-step enrolment answered ${enabled.status}`);
  await browser.submit('/profile/security/recovery-codes', { saved: 'on' }, '/profile/security/recovery-codes/saved');
  return secret;
}
