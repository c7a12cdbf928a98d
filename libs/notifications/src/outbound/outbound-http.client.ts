import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { OutboundTargetRefusedError } from './outbound-target-refused.error.js';
import { type OutboundAllowList, parseOutboundUrl, refusalOfAddress } from './outbound-target.policy.js';

export interface OutboundRequest {
  headers: Record<string, string>;
  body: string | Buffer;
  timeoutMs: number;
}

export interface OutboundResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The first MAX_BODY bytes, as text: enough for an error detail, never a memory problem. */
  body: string;
}

const MAX_BODY = 64 * 1024;

/**
 * POSTs to an owner-supplied URL. The host is resolved at send time and every address it resolves to is
 * checked (refusalOfAddress) inside the socket's own lookup, so the connection goes to an address that
 * was checked: a name that answers a public address to a check and a private one to the connect (DNS
 * rebinding) gets nowhere. Redirects are never followed (a 3xx is the answer), so one cannot lead to a
 * refused address either. Throws OutboundTargetRefusedError for a refused target, the socket's error otherwise.
 */
export async function postOutbound(target: string, init: OutboundRequest, allowList: OutboundAllowList): Promise<OutboundResponse> {
  const parsed = parseOutboundUrl(target);
  if (typeof parsed === 'string') throw new OutboundTargetRefusedError(parsed);
  const { url, secure, literalAddress } = parsed;
  // Node does not call `lookup` for an address literal: checked here instead.
  if (literalAddress !== null) {
    const refusal = refusalOfAddress(literalAddress, secure, allowList);
    if (refusal !== null) throw new OutboundTargetRefusedError(refusal);
  }
  const send = secure ? httpsRequest : httpRequest;
  return new Promise<OutboundResponse>((resolve, reject) => {
    const request = send(
      url,
      { method: 'POST', headers: init.headers, lookup: checkedLookup(secure, allowList), signal: AbortSignal.timeout(init.timeoutMs) },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_BODY) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(init.body);
  });
}

/** The Retry-After header, for classifyHttpStatus. */
export function retryAfterOf(response: OutboundResponse): string | null {
  // Typed as one string by Node, but a response built elsewhere (a fake, a proxy) may carry a list.
  const value = response.headers['retry-after'] as string | string[] | undefined;
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

function checkedLookup(secure: boolean, allowList: OutboundAllowList): LookupFunction {
  return (
    hostname: string,
    options: LookupOptions,
    callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, '');
        return;
      }
      // Every address, not just the first: the socket may try the others (happy eyeballs).
      for (const { address } of addresses) {
        const refusal = refusalOfAddress(address, secure, allowList);
        if (refusal !== null) {
          callback(new OutboundTargetRefusedError(`${hostname} resolves to ${address}: ${refusal}`), '');
          return;
        }
      }
      const first = addresses[0];
      if (options.all) {
        callback(null, addresses);
        return;
      }
      if (!first) {
        callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
        return;
      }
      callback(null, first.address, first.family);
    });
  };
}
