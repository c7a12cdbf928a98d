import ipaddr from 'ipaddr.js';

/**
 * Where the platform may send an owner-supplied URL (webhooks, push endpoints): https to public unicast
 * addresses only. Everything else (loopback, private, link-local and cloud metadata, CGNAT, multicast,
 * reserved, unique-local, and the IPv6 forms that embed an IPv4 address: mapped, NAT64, 6to4, Teredo) is
 * refused, unless the operator lists its range in OUTBOUND_ALLOWED_CIDRS (tests and local demo peers),
 * which also permits plain http to it. ipaddr.js classifies; it is maintained and knows the IANA ranges.
 */
export class OutboundAllowList {
  private constructor(private readonly ranges: readonly [ipaddr.IPv4 | ipaddr.IPv6, number][]) {}

  static readonly none = new OutboundAllowList([]);

  /** `127.0.0.1/32`, `::1/128`...: throws on anything else, so a typo in the setting stops the start. */
  static of(cidrs: readonly string[]): OutboundAllowList {
    return new OutboundAllowList(
      cidrs.map((cidr) => {
        if (!ipaddr.isValidCIDR(cidr)) throw new Error(`not an address range (CIDR): ${cidr}`);
        return ipaddr.parseCIDR(cidr);
      }),
    );
  }

  contains(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
    return this.ranges.some(([range, bits]) => range.kind() === address.kind() && address.match(range, bits));
  }
}

/** Why this resolved address may not be sent to, or null when it may. */
export function refusalOfAddress(address: string, secure: boolean, allowList: OutboundAllowList): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  // process() turns ::ffff:10.0.0.1 into 10.0.0.1, so a mapped address is judged as the IPv4 it reaches.
  const parsed = ipaddr.process(address);
  if (allowList.contains(parsed)) return null;
  const range = parsed.range();
  if (range !== 'unicast') return `${parsed.toString()} is a ${range} address`;
  if (!secure) return 'plain http is refused (https only)';
  return null;
}

export interface OutboundUrl {
  url: URL;
  secure: boolean;
  /** The host as an address when the URL names one (no lookup happens for it), else null. */
  literalAddress: string | null;
}

/**
 * The URL's own shape: http(s), no credentials. Odd host spellings (`0x7f000001`, `127.1`, `[::ffff:7f00:1]`)
 * are already canonical here: the WHATWG URL parser normalises them as a browser would.
 */
export function parseOutboundUrl(value: string): OutboundUrl | string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `${url.protocol} URLs are refused (https only)`;
  if (url.username || url.password) return 'URLs with credentials are refused';
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return { url, secure: url.protocol === 'https:', literalAddress: ipaddr.isValid(host) ? host : null };
}

/**
 * What the API can tell when an owner saves a URL, before any lookup: an http(s) URL without credentials,
 * https unless the host is an address literal (which the send-time allow-list may permit: tests, local
 * peers). A name over plain http (`http://127.0.0.1.nip.io/`) never passes. The send-time check decides.
 */
export function refusalOfOwnerUrl(value: string): string | null {
  const parsed = parseOutboundUrl(value);
  if (typeof parsed === 'string') return parsed;
  if (!parsed.secure && parsed.literalAddress === null) return 'plain http is refused (https only)';
  return null;
}
