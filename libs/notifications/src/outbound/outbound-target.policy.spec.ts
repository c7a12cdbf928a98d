import { OutboundAllowList, parseOutboundUrl, refusalOfAddress, refusalOfOwnerUrl } from './outbound-target.policy.js';

/** The decision for a URL whose host is an address literal (a name is decided per resolved address). */
function refusalOfLiteral(value: string, allowList = OutboundAllowList.none): string | null {
  const parsed = parseOutboundUrl(value);
  if (typeof parsed === 'string') return parsed;
  if (parsed.literalAddress === null) throw new Error(`${value} does not name an address`);
  return refusalOfAddress(parsed.literalAddress, parsed.secure, allowList);
}

describe(refusalOfAddress.name, () => {
  // The external review's list, and the encodings that reach the same places.
  const refused = [
    'http://127.0.0.1:6380',
    'https://127.0.0.1/',
    'https://0x7f000001/',
    'https://127.1/',
    'https://017700000001/',
    'https://2130706433/',
    'https://[::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://[::ffff:7f00:1]/',
    'https://169.254.169.254/latest/meta-data/',
    'https://10.0.0.1/',
    'https://10.255.255.254/',
    'https://172.16.0.1/',
    'https://192.168.1.1/',
    'https://100.64.0.1/',
    'https://0.0.0.0/',
    'https://224.0.0.1/',
    'https://255.255.255.255/',
    'https://[fd00::1]/',
    'https://[fe80::1]/',
    'https://[64:ff9b::a00:1]/',
    'https://[2002:a00:1::]/',
    'https://[2001::1]/',
    'https://[::]/',
  ];

  it.each(refused)('refuses %s', (url) => {
    expect(refusalOfLiteral(url)).toEqual(expect.any(String));
  });

  it('lets https through to a public address, v4 and v6', () => {
    expect(refusalOfLiteral('https://93.184.215.14/hook')).toBeNull();
    expect(refusalOfLiteral('https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hook')).toBeNull();
  });

  it('refuses plain http to a public address', () => {
    expect(refusalOfLiteral('http://93.184.215.14/hook')).toMatch(/https only/);
  });

  it('says what kind of address it refused', () => {
    expect(refusalOfLiteral('https://0x7f000001/')).toBe('127.0.0.1 is a loopback address');
    expect(refusalOfLiteral('https://[::ffff:a00:1]/')).toBe('10.0.0.1 is a private address');
  });

  it('lets a listed range through, http included, and only that range', () => {
    const allowList = OutboundAllowList.of(['127.0.0.1/32', '::1/128']);
    expect(refusalOfLiteral('http://127.0.0.1:8080/hook', allowList)).toBeNull();
    expect(refusalOfLiteral('http://[::1]:8080/hook', allowList)).toBeNull();
    expect(refusalOfLiteral('http://127.0.0.2:8080/hook', allowList)).toMatch(/loopback/);
    expect(refusalOfLiteral('https://10.0.0.1/', allowList)).toMatch(/private/);
  });

  it('refuses a malformed allow-list entry at once', () => {
    expect(() => OutboundAllowList.of(['127.0.0.1'])).toThrow(/CIDR/);
  });
});

describe(refusalOfOwnerUrl.name, () => {
  it('refuses what no send could use: other schemes, credentials, a name over plain http', () => {
    expect(refusalOfOwnerUrl('ftp://example.com/')).toMatch(/https only/);
    expect(refusalOfOwnerUrl('https://user:secret@example.com/')).toMatch(/credentials/);
    expect(refusalOfOwnerUrl('http://127.0.0.1.nip.io/')).toMatch(/https only/);
    expect(refusalOfOwnerUrl('not a url')).toBe('not a URL');
  });

  it('leaves https names and address literals to the send-time check', () => {
    expect(refusalOfOwnerUrl('https://hooks.example.com/carhealth')).toBeNull();
    expect(refusalOfOwnerUrl('http://127.0.0.1:4000/hook')).toBeNull();
  });
});
