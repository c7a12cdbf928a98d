import { generateInitialPassword, hashPassword, verifyPassword } from './password.hasher.js';

describe(hashPassword.name, () => {
  it('produces a bcrypt cost-10 hash that verifies only the same password', async () => {
    const hash = await hashPassword('demo-owner-2026');

    expect(hash).toMatch(/^\$2[aby]\$10\$/);
    await expect(verifyPassword('demo-owner-2026', hash)).resolves.toBe(true);
    await expect(verifyPassword('demo-owner-2027', hash)).resolves.toBe(false);
  });

  it('generates distinct 16-character initial passwords', () => {
    const passwords = new Set(Array.from({ length: 50 }, generateInitialPassword));

    expect(passwords.size).toBe(50);
    for (const password of passwords) expect(password).toMatch(/^[\w-]{16}$/);
  });
});
