import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';

/**
 * The stand-in broker for machines where no MQTT broker can be installed: Aedes in this process.
 * It speaks MQTT 3.1.1 only and does not deliver $share subscriptions, so ingestion subscribes plainly
 * with one connection, and its in-memory sessions die with the process: a production set-up uses
 * Mosquitto or EMQX.
 */
export async function startEmbeddedBroker(port: number, host = '127.0.0.1'): Promise<{ close(): Promise<void> }> {
  const broker = await Aedes.createBroker({});
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => broker.close(() => resolve()));
      }),
  };
}
