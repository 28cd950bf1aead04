import { operatorCliOnOwnDatabase } from '../helpers/operator-cli';
import { PrivateSlapd, DIRECTORY_PEOPLE } from '../helpers/slapd';

// Each command opens the database anew: seconds on a busy machine.
jest.setTimeout(300_000);

const { cli, env, openDatabase } = operatorCliOnOwnDatabase();
const slapd = new PrivateSlapd();
const { ada, grace } = DIRECTORY_PEOPLE;

beforeAll(() => slapd.start());
afterAll(() => slapd.stop());

async function addDirectoryAccounts(): Promise<void> {
  const db = openDatabase();
  try {
    const now = new Date();
    const row = (username: string, email: string) => ({ username, email, first_name: 'Old', last_name: 'Name', source: 'ldap', email_verified_at: now, created_at: now, updated_at: now });
    await db('users').insert([row(ada.uid, ada.email), row(grace.uid, grace.email), row('gone', 'gone@example.org')]);
  } finally {
    await db.destroy();
  }
}

describe('directory:sync, the operator’s sync of directory accounts', () => {
  it('says there is no directory to synchronise without LDAP_URL (78)', async () => {
    expect((await cli('migrate')).code).toBe(0);
    const res = await cli('directory:sync');
    expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 78, stderr: 'LDAP_URL: not set, so there is no directory to synchronise' });
  });

  it('refreshes and locks, and prints a summary scripts can read', async () => {
    await addDirectoryAccounts();
    Object.assign(env(), slapd.env());
    const res = await cli('directory:sync');
    expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 0, stderr: '' });
    expect(res.stdout.split('\n')).toEqual([`Synchronised 3 directory accounts with ${slapd.url}.`, 'checked=3', 'updated=2', 'locked=1', 'unchanged=0', 'skipped=0']);
    const again = await cli('directory:sync');
    expect(again.stdout).toContain('updated=0\nlocked=0\nunchanged=3');
  });

  it('exits with 69 when the directory does not answer, and changes nothing', async () => {
    await slapd.kill();
    try {
      const res = await cli('directory:sync');
      expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 69, stderr: 'We can\'t reach your organisation\'s directory right now, so directory passwords cannot be checked. Please try again in a few minutes.' });
    } finally {
      await slapd.startAgain();
    }
  });

  it('refuses arguments it does not take (64)', async () => {
    expect((await cli('directory:sync', '--all')).code).toBe(64);
    expect((await cli('directory:sync', 'ada')).code).toBe(64);
  });
});
