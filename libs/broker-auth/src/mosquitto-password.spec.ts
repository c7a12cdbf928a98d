import { hashMosquittoPassword, isMosquittoPasswordHash, MOSQUITTO_PBKDF2_ITERATIONS, verifyMosquittoPassword } from './mosquitto-password.js';

// Written by `mosquitto_passwd -b pw dev1 secret1` (Mosquitto 2.0.11); test/devices checks against the live tool.
const FROM_MOSQUITTO_PASSWD = '$7$101$yMibshwtYg+v0LCo$ycbBtAK5Esvmtb+Scmuwbk2NxYcGflUtIz31zXwwgHDMvqI5Y2oZIogU6TdXpwigrRy+BzADCPCpe0Y96b35dQ==';

describe(hashMosquittoPassword.name, () => {
  it("gives mosquitto_passwd's bytes for the same salt", () => {
    const salt = Buffer.from('yMibshwtYg+v0LCo', 'base64');
    expect(hashMosquittoPassword('secret1', { salt })).toBe(FROM_MOSQUITTO_PASSWD);
  });

  it('writes the $7$ format with a fresh 12-byte salt each time', () => {
    const first = hashMosquittoPassword('s3cret');
    const second = hashMosquittoPassword('s3cret');

    expect(first).toMatch(new RegExp(`^\\$7\\$${MOSQUITTO_PBKDF2_ITERATIONS}\\$[A-Za-z0-9+/]{16}\\$[A-Za-z0-9+/]{86}==$`));
    expect(first).not.toBe(second);
    expect(isMosquittoPasswordHash(first)).toBe(true);
  });
});

describe(verifyMosquittoPassword.name, () => {
  it('accepts the right secret for a hash mosquitto_passwd wrote, and only that one', () => {
    expect(verifyMosquittoPassword('secret1', FROM_MOSQUITTO_PASSWD)).toBe(true);
    expect(verifyMosquittoPassword('secret2', FROM_MOSQUITTO_PASSWD)).toBe(false);
    expect(verifyMosquittoPassword('', FROM_MOSQUITTO_PASSWD)).toBe(false);
  });

  it('round-trips its own hashes, with any iteration count', () => {
    const sut = hashMosquittoPassword('pässwörd with spaces', { iterations: 1000 });

    expect(verifyMosquittoPassword('pässwörd with spaces', sut)).toBe(true);
    expect(verifyMosquittoPassword('passwörd with spaces', sut)).toBe(false);
  });

  it('refuses values that are not a $7$ hash instead of throwing', () => {
    for (const other of ['', 'secret1', '$2b$10$abcdefghijklmnopqrstuu', '$6$c2FsdA==$aGFzaA==', '$7$0$c2FsdA==$aGFzaA==', '$7$101$$']) {
      expect(verifyMosquittoPassword('secret1', other)).toBe(false);
      expect(isMosquittoPasswordHash(other)).toBe(false);
    }
  });
});
