import { connect, createServer, type Server, type Socket } from 'node:net';

interface Link {
  client: Socket;
  upstream: Socket;
  frozen: boolean;
}

/**
 * A TCP proxy to one server that can freeze the connections open through it: they stop carrying bytes either way
 * and are never closed (not even a FIN answered), as a connection to a host that went away without closing it
 * (powered off, cut off by a network partition or a dropped NAT entry) stays open until TCP gives up, minutes to
 * hours later. Connections made after a freeze pass normally: the host is reachable again, the old sockets are not.
 * Hand-written: Toxiproxy (the maintained tool for this) is a separate Go server, not on this machine.
 */
export class FreezingTcpProxy {
  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly links: Set<Link>,
  ) {}

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<FreezingTcpProxy> {
    const links = new Set<Link>();
    // allowHalfOpen: a frozen link must not answer the client's FIN with one of its own.
    const server = createServer({ allowHalfOpen: true }, (client) => {
      const upstream = connect({ port: targetPort, host: targetHost, allowHalfOpen: true });
      const link: Link = { client, upstream, frozen: false };
      links.add(link);
      const pass = (from: Socket, to: Socket) => {
        from.on('data', (chunk: Buffer) => {
          if (!link.frozen) to.write(chunk);
        });
        from.on('end', () => {
          if (!link.frozen) to.end();
        });
        from.on('close', () => {
          if (link.frozen) return;
          to.destroy();
          links.delete(link);
        });
        from.on('error', () => undefined);
      };
      pass(client, upstream);
      pass(upstream, client);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
    return new FreezingTcpProxy(server, address.port, links);
  }

  /** Every connection open now stops carrying bytes and stays open; new ones pass. Returns how many were frozen. */
  freeze(): number {
    let frozen = 0;
    for (const link of this.links) {
      if (link.frozen || link.client.destroyed) continue;
      link.frozen = true;
      frozen += 1;
    }
    return frozen;
  }

  async close(): Promise<void> {
    for (const link of this.links) {
      link.frozen = false;
      link.client.destroy();
      link.upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
