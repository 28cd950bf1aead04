import sharp from 'sharp';

/**
 * What the private directory of test/helpers/slapd.ts holds when it starts, under
 * dc=example,dc=org: people, one group, the service account the app binds as, and the
 * password policy. Tests import what they need from ./slapd.
 */

export const BASE_DN = 'dc=example,dc=org';
export const PEOPLE_DN = `ou=people,${BASE_DN}`;
export const SERVICE_DN = `cn=atrium,ou=services,${BASE_DN}`;
export const SERVICE_PASSWORD = 'service-secret';
export const ADMIN_GROUP_DN = `cn=atrium-admins,ou=groups,${BASE_DN}`;
/** pwdAccountLockedTime's value for "locked until an administrator unlocks it". */
export const LOCKED_FOREVER = '000001010000Z';
// The directory's administrator (rootdn), for PrivateSlapd's own use.
export const ROOT_DN = `cn=admin,${BASE_DN}`;
export const ROOT_PASSWORD = 'root-secret';
// The overlay enforces pwdAccountLockedTime only for entries a policy with pwdLockout
// covers: this one, the default, covers everyone.
export const POLICY_DN = `cn=default,ou=policies,${BASE_DN}`;

function person(uid: string, firstName: string, lastName: string) {
  return { uid, dn: `uid=${uid},${PEOPLE_DN}`, password: `${uid}-directory-pw`, email: `${uid}@example.org`, firstName, lastName, cn: `${firstName} ${lastName}` };
}

/**
 * The people in the fixture: grace has a jpegPhoto (directoryPhoto) and is the one member of
 * ADMIN_GROUP_DN; linus is locked (pwdAccountLockedTime LOCKED_FOREVER); alan is nobody special.
 */
export const DIRECTORY_PEOPLE = {
  ada: person('ada', 'Ada', 'Lovelace'),
  grace: person('grace', 'Grace', 'Hopper'),
  linus: person('linus', 'Linus', 'Torvalds'),
  alan: person('alan', 'Alan', 'Turing'),
} as const;

export type DirectoryPerson = ReturnType<typeof person>;
export type DirectoryAttributes = Record<string, string | string[] | Buffer[]>;

let photo: Promise<Buffer> | undefined;

/** Grace's jpegPhoto: a real 64 x 64 JPEG (the same bytes every time in a process). */
export function directoryPhoto(): Promise<Buffer> {
  photo ??= sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 200, g: 90, b: 40 } } })
    .jpeg()
    .toBuffer();
  return photo;
}

export const valuesOf = (value: DirectoryAttributes[string]) => (typeof value === 'string' ? [value] : value);

function ldifEntry(dn: string, attributes: DirectoryAttributes): string {
  const lines = [`dn: ${dn}`];
  for (const [type, value] of Object.entries(attributes)) {
    for (const v of valuesOf(value)) lines.push(Buffer.isBuffer(v) ? `${type}:: ${v.toString('base64')}` : `${type}: ${v}`);
  }
  return lines.join('\n');
}

export async function fixtureLdif(): Promise<string> {
  const { ada, grace, linus, alan } = DIRECTORY_PEOPLE;
  const unit = (ou: string): [string, DirectoryAttributes] => [`ou=${ou},${BASE_DN}`, { objectClass: 'organizationalUnit', ou }];
  const personEntry = (p: DirectoryPerson, more: DirectoryAttributes = {}): [string, DirectoryAttributes] => [
    p.dn,
    { objectClass: 'inetOrgPerson', uid: p.uid, cn: p.cn, givenName: p.firstName, sn: p.lastName, mail: p.email, userPassword: p.password, ...more },
  ];
  const entries: [string, DirectoryAttributes][] = [
    [BASE_DN, { objectClass: ['dcObject', 'organization'], dc: 'example', o: 'Example' }],
    unit('people'),
    unit('groups'),
    unit('services'),
    unit('policies'),
    [POLICY_DN, { objectClass: ['organizationalRole', 'pwdPolicy'], cn: 'default', pwdAttribute: 'userPassword', pwdLockout: 'TRUE' }],
    [SERVICE_DN, { objectClass: ['organizationalRole', 'simpleSecurityObject'], cn: 'atrium', userPassword: SERVICE_PASSWORD }],
    personEntry(ada),
    personEntry(grace, { jpegPhoto: [await directoryPhoto()] }),
    personEntry(linus, { pwdAccountLockedTime: LOCKED_FOREVER }),
    personEntry(alan),
    [ADMIN_GROUP_DN, { objectClass: 'groupOfNames', cn: 'atrium-admins', member: grace.dn }],
  ];
  return `${entries.map(([dn, attributes]) => ldifEntry(dn, attributes)).join('\n\n')}\n`;
}
