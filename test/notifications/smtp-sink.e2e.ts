// The SMTP sink the delivery and fault tests send mail to: a client that dies in the middle of a mail transaction (a
// worker SIGKILLed while it sends) must not take the test file down with it.
import { connect, type Socket } from 'node:net';
import { LocalSmtpServer } from './support/smtp-sink.js';

/** Sends `line` and waits for the server's reply that starts with `code`. */
function exchange(socket: Socket, line: string | null, code: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('utf8');
      if (seen.split('\r\n').some((reply) => reply.startsWith(`${code} `))) {
        socket.off('data', onData);
        resolve();
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    if (line !== null) socket.write(`${line}\r\n`);
  });
}

describe('LocalSmtpServer', () => {
  const smtp = new LocalSmtpServer();

  beforeAll(() => smtp.start());
  afterAll(() => smtp.stop());

  it('notes a connection reset in the middle of a mail transaction instead of throwing it', async () => {
    const socket = connect(smtp.port, '127.0.0.1');
    await exchange(socket, null, '220');
    await exchange(socket, 'EHLO worker.test', '250');
    await exchange(socket, 'MAIL FROM:<reminders@carhealth.test>', '250');
    // A reset, not a FIN: what the kernel sends for a process killed with unread data (Node 18.3+).
    socket.resetAndDestroy();
    const deadline = Date.now() + 5000;
    while (smtp.connectionErrors.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(smtp.connectionErrors.map((error) => (error as NodeJS.ErrnoException).code)).toEqual(['ECONNRESET']);
  });
});
