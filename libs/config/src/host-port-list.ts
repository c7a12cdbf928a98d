import { z } from 'zod';

/** One server of a cluster: a host (name, IPv4 or bracketed IPv6) and a port. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/**
 * A comma-separated `host:port` list (Redis Cluster seeds, the broker tier's MQTT listeners). Empty is an empty
 * list; an entry that is not host:port stops the app, the message giving `example`.
 */
export function hostPortList(example: string) {
  return z
    .string()
    .default('')
    .transform((value, context) => {
      const nodes: HostPort[] = [];
      for (const entry of value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '')) {
        const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]/@]+):(\d{1,5})$/.exec(entry);
        const port = Number(match?.[2]);
        if (match === null || port < 1 || port > 65535) {
          context.addIssue({ code: 'custom', message: `"${entry}" is not host:port (e.g. ${example})` });
          return z.NEVER;
        }
        nodes.push({ host: match[1].replace(/^\[(.*)\]$/, '$1'), port });
      }
      return nodes;
    });
}
