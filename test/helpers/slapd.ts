import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import {
  ADMIN_GROUP_DN,
  BASE_DN,
  PEOPLE_DN,
  POLICY_DN,
  ROOT_DN,
  ROOT_PASSWORD,
  SERVICE_DN,
  SERVICE_PASSWORD,
  fixtureLdif,
  valuesOf,
  type DirectoryAttributes,
} from './directory-fixture';
import { closedPort } from './tcp-proxy';

export {
  ADMIN_GROUP_DN,
  BASE_DN,
  DIRECTORY_PEOPLE,
  LOCKED_FOREVER,
  PEOPLE_DN,
  SERVICE_DN,
  SERVICE_PASSWORD,
  directoryPhoto,
  type DirectoryAttributes,
  type DirectoryPerson,
} from './directory-fixture';

function slapdConf(dir: string, tls: boolean): string {
  const lines = [
    ...['core', 'cosine', 'inetorgperson', 'nis'].map((schema) => `include /etc/ldap/schema/${schema}.schema`),
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    // In 2.5 the overlay brings the password policy schema (pwdPolicy, pwdAccountLockedTime) itself.
    'moduleload ppolicy',
    ...(tls ? [`TLSCACertificateFile "${dir}/ca.pem"`, `TLSCertificateFile "${dir}/server.pem"`, `TLSCertificateKeyFile "${dir}/server.key"`] : []),
    // The root DSE (where a client sees StartTLS offered) and the schema are public, as on any directory.
    'access to dn.base="" by * read',
    'access to dn.base="cn=Subschema" by * read',
    'database mdb',
    `suffix "${BASE_DN}"`,
    `rootdn "${ROOT_DN}"`,
    `rootpw ${ROOT_PASSWORD}`,
    `directory "${dir}/data"`,
    'dbnosync',
    'overlay ppolicy',
    `ppolicy_default "${POLICY_DN}"`,
    // Passwords only ever serve a bind; the service account reads the rest, a person only their own entry.
    'access to attrs=userPassword by anonymous auth by * none',
    `access to dn.subtree="${BASE_DN}" by dn.exact="${SERVICE_DN}" read by self read by * none`,
  ];
  return `${lines.join('\n')}\n`;
}

/** A CA and a server certificate for 127.0.0.1 and localhost that it signed (EC keys: quick to make). Returns the CA's PEM file. */
function makeCertificates(dir: string): string {
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...newKey, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2', '-subj', '/CN=Atrium test directory CA');
  openssl('req', ...newKey, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=127.0.0.1');
  fs.writeFileSync(file('server.ext'), 'subjectAltName = IP:127.0.0.1, DNS:localhost\nextendedKeyUsage = serverAuth\n');
  openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-CAserial', file('ca.srl'), '-days', '2', '-extfile', file('server.ext'), '-out', file('server.pem'));
  return file('ca.pem');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An OpenLDAP slapd of the test's own (from Debian's slapd package, as the current user) on
 * 127.0.0.1, with the fixture above loaded (slapadd, before it starts). With `tls` it
 * offers StartTLS on the same port, and ldaps:// on securePort, with a certificate from a CA
 * of its own (caFile).
 * The test may pause it with SIGSTOP (a hung directory: connections are accepted, nothing
 * is answered), or kill it and start it again on the same port, with the data it had.
 */
export class PrivateSlapd {
  private child?: ChildProcess;
  private stderr = '';
  private dir = '';
  private conf = '';
  port = 0;
  /** With `tls`: the port where it speaks TLS from the first byte (ldaps://). */
  securePort = 0;
  tls = false;
  caFile = '';

  get url(): string {
    return `ldap://127.0.0.1:${this.port}`;
  }

  get secureUrl(): string {
    return `ldaps://127.0.0.1:${this.securePort}`;
  }

  async start(options: { tls?: boolean } = {}): Promise<void> {
    this.tls = options.tls ?? false;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-slapd-'));
    fs.mkdirSync(path.join(this.dir, 'data'));
    this.conf = path.join(this.dir, 'slapd.conf');
    if (this.tls) this.caFile = makeCertificates(this.dir);
    fs.writeFileSync(this.conf, slapdConf(this.dir, this.tls));
    const ldif = path.join(this.dir, 'fixture.ldif');
    fs.writeFileSync(ldif, await fixtureLdif());
    execFileSync('/usr/sbin/slapadd', ['-q', '-f', this.conf, '-l', ldif], { stdio: ['ignore', 'ignore', 'pipe'] });
    // Another worker may take the free port closedPort found before slapd binds it: then a fresh one.
    for (let attempt = 1; ; attempt++) {
      this.port = await closedPort();
      if (this.tls) this.securePort = await closedPort();
      try {
        return await this.launch();
      } catch (error) {
        if (attempt === 3 || !this.stderr.includes('Address already in use')) throw error;
      }
    }
  }

  /** Starts slapd in the foreground (`-d none`: little more than its errors, on stderr) and waits until the root DN can bind. */
  private async launch(): Promise<void> {
    this.stderr = '';
    const child = spawn('/usr/sbin/slapd', ['-f', this.conf, '-h', this.tls ? `${this.url}/ ${this.secureUrl}/` : `${this.url}/`, '-d', 'none'], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`slapd exited:\n${this.stderr}`);
      // Only once it says it has its port: until then the bind may reach another worker's slapd
      // that took the same free port, while this one is about to exit for want of it.
      if (this.stderr.includes('slapd starting') && (await this.answers())) return;
      await sleep(20);
    }
    await this.kill();
    throw new Error(`slapd did not answer within 10 s:\n${this.stderr}`);
  }

  /** Whether the directory takes a bind now. */
  async answers(): Promise<boolean> {
    const client = new Client({ url: this.url, connectTimeout: 500, timeout: 500 });
    const bound = await client.bind(ROOT_DN, ROOT_PASSWORD).then(() => true, () => false);
    await client.unbind().catch(() => undefined);
    return bound;
  }

  /** The app's settings for this directory: the service account, people under ou=people, grace's group as the admins. */
  env(): Record<string, string> {
    return {
      LDAP_URL: this.url,
      LDAP_BIND_DN: SERVICE_DN,
      LDAP_BIND_PASSWORD: SERVICE_PASSWORD,
      LDAP_BASE_DN: PEOPLE_DN,
      LDAP_ADMIN_GROUP_DN: ADMIN_GROUP_DN,
      ...(this.tls ? { LDAP_STARTTLS: 'true', LDAP_CA_FILE: this.caFile } : {}),
    };
  }

  /** Replaces an attribute's values, as the directory's administrator; no values remove the attribute. */
  async modify(dn: string, attribute: string, values: string[] | Buffer[]): Promise<void> {
    await this.asRoot((client) => client.modify(dn, new Change({ operation: 'replace', modification: new Attribute({ type: attribute, values }) })));
  }

  async add(dn: string, attributes: DirectoryAttributes): Promise<void> {
    const list = Object.entries(attributes).map(([type, value]) => new Attribute({ type, values: valuesOf(value) }));
    await this.asRoot((client) => client.add(dn, list));
  }

  async remove(dn: string): Promise<void> {
    await this.asRoot((client) => client.del(dn));
  }

  async setPassword(dn: string, password: string): Promise<void> {
    await this.modify(dn, 'userPassword', [password]);
  }

  private async asRoot<T>(operation: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ url: this.url, timeout: 5000 });
    try {
      await client.bind(ROOT_DN, ROOT_PASSWORD);
      return await operation(client);
    } finally {
      await client.unbind();
    }
  }

  /**
   * SIGSTOP, and waits until every thread has stopped: on a busy machine a thread woken by a
   * request may otherwise still answer it before the thread the signal went to stops them all.
   */
  async pause(): Promise<void> {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    this.child?.kill('SIGSTOP');
    const stopped = (task: string) => {
      try {
        return /^State:\s+[TZ]/m.test(fs.readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8'));
      } catch {
        return true; // a thread that has gone meanwhile
      }
    };
    while (!fs.readdirSync(`/proc/${pid}/task`).every(stopped)) await sleep(5);
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** kill -9: connections break at once; the data stays for startAgain. */
  async kill(): Promise<void> {
    await this.end('SIGKILL');
  }

  /** Starts the directory again on the same port, with the data it had, after kill. */
  async startAgain(): Promise<void> {
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.end('SIGTERM');
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGCONT');
    child.kill(signal);
    // slapd waits for running operations on SIGTERM: a stuck one should not hold up the test.
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(force);
  }
}
