import { describeApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { createUser } from '../../helpers/factories';

const t = describeApp();

const signIn = (identifier: string, password: string) => new Visitor(t.app).submit('/login', { identifier, password });

describe('A fresh installation', () => {
  it('has no account at all: nobody can sign in as admin, root, sa or administrator', async () => {
    expect(Number((await t.deps.db('users').count({ n: '*' }).first())?.n)).toBe(0);
    for (const [identifier, password] of [['admin', 'admin'], ['root', 'root'], ['sa', ''], ['administrator', 'password'], ['admin', 'changeme123']]) {
      const res = await signIn(identifier as string, password as string);
      expect({ identifier, status: res.status }).toEqual({ identifier, status: 422 });
    }
  });
});

describe('The password', () => {
  const typed = `Violet Tractor Umbrella 71, ${'quiet harbour '.repeat(5)}end`;

  it('is checked exactly as typed: another case, a space more or less, or a cut-off version is refused', async () => {
    expect(Buffer.byteLength(typed)).toBeGreaterThan(72);
    const user = await createUser(t, { password: typed });
    const variants = [typed.toLowerCase(), typed.toUpperCase(), ` ${typed}`, `${typed} `, typed.replace('Tractor ', 'Tractor'), typed.slice(0, 72), typed.slice(0, -1)];
    for (const variant of variants) {
      const res = await signIn(user.username, variant);
      expect({ variant, status: res.status }).toEqual({ variant, status: 422 });
    }
    expect((await signIn(user.username, typed)).status).toBe(303);
  });

  it('may be made of any characters, with no rule about upper case, digits or symbols', async () => {
    const passwords = ['violet tractor umbrella orchard', 'ЂУРЂЕВДАН У БЕОГРАДУ ДВЕХИЉАДЕ', '🦊 лисица у зеленој шуми 🌲', 'correct horse battery staple'];
    for (const [index, password] of passwords.entries()) {
      const visitor = new Visitor(t.app);
      const res = await visitor.submit('/signup', { first_name: 'Ana', last_name: 'Lee', email: `any${index}@example.com`, username: `any${index}`, password, password_confirm: password });
      expect({ password, status: res.status }).toEqual({ password, status: 303 });
      expect((await signIn(`any${index}`, password)).status).toBe(303);
    }
  });

  it('stays valid for years: nobody is ever made to change it', async () => {
    const user = await createUser(t);
    t.clock.advance(3 * 365 * 86_400_000);
    const visitor = new Visitor(t.app);
    const res = await visitor.submit('/login', { identifier: user.username, password: user.password });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const home = await visitor.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Hello, Jane!');
    expect((await visitor.get('/profile/account')).status).toBe(200);
  });
});
