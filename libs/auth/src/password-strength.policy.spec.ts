import { passwordWeakness } from './password-strength.policy.js';

describe(passwordWeakness.name, () => {
  const owner = { email: 'zhang.wei@example.com', name: 'Zhang Wei' };

  it.each([
    ['a common password with digits', 'password12'],
    ['the e-mail address', 'zhang.wei@example.com'],
    ['the e-mail in other case', 'Zhang.Wei@Example.com'],
    ['the name and a year', 'zhangwei2026'],
    ['a keyboard walk', 'qwertyuiop'],
    ['one repeated character', 'aaaaaaaaaaaa'],
  ])('refuses %s, with a reason', (_case, password) => {
    const reason = passwordWeakness(password, owner);
    expect(reason).toEqual(expect.stringMatching(/^(is too easy to guess\.|must not be your e-mail address)/));
  });

  it('says what is wrong, in words an owner can act on', () => {
    expect(passwordWeakness('password12', owner)).toBe(
      'is too easy to guess. This is a commonly used password. Add more words that are less common.',
    );
  });

  it.each([
    ['a passphrase', 'correct horse battery staple'],
    ['a generated password', 'q7Rt-vX9p-LmZ2'],
    ['a longer sentence', 'my own passphrase 2026'],
  ])('accepts %s', (_case, password) => {
    expect(passwordWeakness(password, owner)).toBeNull();
  });
});
