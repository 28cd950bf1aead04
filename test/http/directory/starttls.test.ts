import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Visitor } from '../../helpers/browser-agent';
import { startTestApp } from '../../helpers/app';
import { describeDirectoryApp } from '../../helpers/directory-app';
import { DIRECTORY_PEOPLE } from '../../helpers/slapd';

const { ada } = DIRECTORY_PEOPLE;

describe('A directory reached over StartTLS (LDAP_STARTTLS, LDAP_CA_FILE) or ldaps://', () => {
  const { t, slapd } = describeDirectoryApp({}, { tls: true });

  it('signs people in over the encrypted connection', async () => {
    expect(t.config.directory).toMatchObject({ startTls: true });
    const res = await new Visitor(t.app).submit('/login', { identifier: ada.uid, password: ada.password });
    expect(res.status).toBe(303);
    expect((await new Visitor(t.app).get('/readyz')).body.checks.directory).toBe('ok');
  });

  it('signs people in over ldaps:// too (TLS from the first byte, as Active Directory offers on 636)', async () => {
    const secure = await startTestApp({ ...slapd.env(), LDAP_URL: slapd.secureUrl, LDAP_STARTTLS: 'false' });
    try {
      expect((await new Visitor(secure.app).submit('/login', { identifier: ada.uid, password: ada.password })).status).toBe(303);
    } finally {
      await secure.close();
    }
  });

  it('refuses a server whose certificate the configured CA did not sign: the directory is unreachable, no password is sent', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-other-ca-'));
    const otherCa = path.join(dir, 'ca.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', path.join(dir, 'ca.key'), '-out', otherCa, '-days', '1', '-subj', '/CN=Someone else'], { stdio: 'ignore' });
    const other = await startTestApp({ ...slapd.env(), LDAP_CA_FILE: otherCa });
    try {
      const res = await new Visitor(other.app).submit('/login', { identifier: ada.uid, password: ada.password });
      expect(res.status).toBe(503);
      expect(res.text).toContain('We can&#39;t reach your organisation&#39;s directory right now');
      expect((await new Visitor(other.app).get('/readyz')).body).toMatchObject({ status: 'ready', checks: { directory: 'unavailable' } });
    } finally {
      await other.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
