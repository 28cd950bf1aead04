import bcrypt from 'bcrypt';
import { createPasswordHasher } from '../../../src/features/password/password-hasher';

const hasher = createPasswordHasher({ cost: 4 });

describe('Password hashing', () => {
  it('verifies the right password and refuses others', async () => {
    const stored = await hasher.hash('violet tractor umbrella 71');
    expect(stored.startsWith('bcrypt-sha256-v1$$2b$04$')).toBe(true);
    expect(await hasher.verify('violet tractor umbrella 71', stored)).toBe(true);
    expect(await hasher.verify('violet tractor umbrella 72', stored)).toBe(false);
  });

  it('uses every character of a long password (bcrypt alone reads only 72 bytes)', async () => {
    const base = 'x'.repeat(100);
    const stored = await hasher.hash(`${base}A`);
    expect(await hasher.verify(`${base}B`, stored)).toBe(false);
    expect(await hasher.verify(`${base}A`, stored)).toBe(true);
    // The same two passwords are indistinguishable to plain bcrypt.
    const plain = await bcrypt.hash(`${base}A`, 4);
    expect(await bcrypt.compare(`${base}B`, plain)).toBe(true);
  });

  it('handles multi-byte characters and a salt-keyed pre-hash (no two hashes alike)', async () => {
    const a = await hasher.hash('Ђурђевдан у Београду 2024');
    const b = await hasher.hash('Ђурђевдан у Београду 2024');
    expect(a).not.toBe(b);
    expect(await hasher.verify('Ђурђевдан у Београду 2024', a)).toBe(true);
  });

  it('refuses hashes of an unknown scheme and missing hashes', async () => {
    expect(await hasher.verify('x', await bcrypt.hash('x', 4))).toBe(false);
    expect(await hasher.verify('x', null)).toBe(false);
    expect(await hasher.verifyDummy('x')).toBe(false);
  });

  it('knows when a stored hash should be upgraded', async () => {
    expect(hasher.needsRehash(await hasher.hash('p'))).toBe(false);
    expect(hasher.needsRehash(await createPasswordHasher({ cost: 5 }).hash('p'))).toBe(true);
    expect(hasher.needsRehash(await bcrypt.hash('p', 4))).toBe(true);
  });
});
