// A development mail sink for the demo (`npm start`): an SMTP server on 127.0.0.1 that accepts every
// message and writes it as an .eml file, so the reminder e-mails the worker sends can be read without a
// real mail server. Not for production: point SMTP_HOST/SMTP_PORT at a real relay there.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SMTPServer } from 'smtp-server';

const { values } = parseArgs({ options: { port: { type: 'string', default: '2525' }, dir: { type: 'string', default: './.local/mail' } } });
const dir = values.dir;
mkdirSync(dir, { recursive: true });
let count = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData: (stream, session, callback) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const to = session.envelope.rcptTo.map((r) => r.address).join(',');
      count += 1;
      const file = join(dir, `${new Date().toISOString().replaceAll(':', '-')}-${count}.eml`);
      writeFileSync(file, Buffer.concat(chunks));
      console.log(`mail-sink: message for ${to} -> ${file}`);
      callback();
    });
  },
});
server.listen(Number(values.port), '127.0.0.1', () => console.log(`mail-sink: listening on 127.0.0.1:${values.port}, writing to ${dir}`));
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => server.close(() => process.exit(0)));
