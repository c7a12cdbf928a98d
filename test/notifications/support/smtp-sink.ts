// A local SMTP server (the smtp-server package) that keeps what it receives, and a small MIME reader
// for the parts a test checks (headers, text/plain and text/html bodies).
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { AnswerGate } from './answer-gate.js';

export interface ReceivedMail {
  from: string | undefined;
  to: string[];
  raw: string;
}

export class LocalSmtpServer {
  readonly received: ReceivedMail[] = [];
  /** Hold the final "250 OK" of a received message (it is already in the mailbox). */
  readonly answers = new AnswerGate();
  private server: SMTPServer | undefined;
  port = 0;

  /** `rejectRecipient`: an SMTP code (e.g. 550, 450) to refuse every RCPT TO with. */
  constructor(private readonly rejectRecipient?: number) {}

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (this.rejectRecipient === undefined) {
          callback();
          return;
        }
        const error = Object.assign(new Error(`${address.address}: mailbox unavailable`), { responseCode: this.rejectRecipient });
        callback(error);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const from = session.envelope.mailFrom === false ? undefined : session.envelope.mailFrom.address;
          this.received.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
          void this.answers.pass().then(() => callback());
        });
      },
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    // smtp-server keeps its net.Server on `.server`; the typings do not expose it.
    this.port = (this.server as unknown as { server: { address(): AddressInfo } }).server.address().port;
  }

  async stop(): Promise<void> {
    this.answers.release();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export interface MimePart {
  headers: Map<string, string>;
  body: string;
}

/** Headers (unfolded, lower-case names, RFC 2047 words decoded) and the decoded body of each leaf part. */
export function parseMime(raw: string): { headers: Map<string, string>; parts: MimePart[] } {
  const { headers, body } = splitEntity(raw);
  return { headers, parts: leafParts(headers, body) };
}

function splitEntity(raw: string): { headers: Map<string, string>; body: string } {
  const normalized = raw.replace(/\r\n/g, '\n');
  const end = normalized.indexOf('\n\n');
  const head = end < 0 ? normalized : normalized.slice(0, end);
  const body = end < 0 ? '' : normalized.slice(end + 2);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return { headers, body };
}

function leafParts(headers: Map<string, string>, body: string): MimePart[] {
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith('multipart/') && boundary !== undefined) {
    const sections = body.split(`--${boundary}`).slice(1);
    return sections
      .filter((s) => !s.startsWith('--'))
      .flatMap((section) => {
        const entity = splitEntity(section.replace(/^\n/, ''));
        return leafParts(entity.headers, entity.body);
      });
  }
  return [{ headers, body: decodeBody(body, headers.get('content-transfer-encoding') ?? '7bit') }];
}

function decodeBody(body: string, encoding: string): string {
  const trimmed = body.replace(/\n$/, '');
  switch (encoding.toLowerCase()) {
    case 'base64':
      return Buffer.from(trimmed.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return decodeQuotedPrintable(trimmed);
    default:
      return trimmed;
  }
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const input = text.replace(/=\n/g, ''); // soft line breaks
  for (let i = 0; i < input.length; i++) {
    if (input[i] === '=' && /^[0-9A-F]{2}$/i.test(input.slice(i + 1, i + 3))) {
      bytes.push(parseInt(input.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(input[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words; whitespace between two adjacent encoded words is not part of the text. */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([BQ])\?([^?]*)\?=/gi, (_m, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}
