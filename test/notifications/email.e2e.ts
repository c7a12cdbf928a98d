import { EmailChannel, renderReminderMessage } from '#app/notifications';
import { reminderContent } from './support/reminder.factory.js';
import { LocalSmtpServer, parseMime } from './support/smtp-sink.js';

describe(EmailChannel.name, () => {
  const from = 'CarHealth <reminders@carhealth.example>';
  const servers: LocalSmtpServer[] = [];
  const channels: EmailChannel[] = [];

  const smtp = async (rejectRecipient?: number): Promise<LocalSmtpServer> => {
    const server = new LocalSmtpServer(rejectRecipient);
    await server.start();
    servers.push(server);
    return server;
  };
  const channelTo = (server: LocalSmtpServer): EmailChannel => {
    const channel = new EmailChannel({ host: '127.0.0.1', port: server.port, secure: false, from, timeoutMs: 2000 });
    channels.push(channel);
    return channel;
  };

  afterAll(async () => {
    channels.forEach((c) => c.close());
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('sends one multipart message with the subject, the text and the HTML part', async () => {
    const server = await smtp();
    const sut = channelTo(server);
    const message = renderReminderMessage(reminderContent(), 'zh');

    const result = await sut.send({ to: 'wang.fang@example.cn' }, message);

    expect(result).toEqual({ ok: true });
    expect(server.received).toHaveLength(1);
    const mail = server.received[0];
    expect(mail).toMatchObject({ from: 'reminders@carhealth.example', to: ['wang.fang@example.cn'] });
    const parsed = parseMime(mail.raw);
    expect(parsed.headers.get('subject')).toBe('紧急：左前轮胎正在漏气');
    expect(parsed.headers.get('to')).toBe('wang.fang@example.cn');
    expect(parsed.headers.get('content-type')).toMatch(/^multipart\/alternative/);
    const byType = (type: string) => parsed.parts.find((p) => p.headers.get('content-type')?.startsWith(type))?.body;
    expect(byType('text/plain')?.replace(/\r?\n/g, '\n')).toBe(message.text);
    expect(byType('text/html')).toBe(message.html);
  });

  it('reports a permanent recipient refusal (550) as not retryable', async () => {
    const server = await smtp(550);

    const result = await channelTo(server).send({ to: 'nobody@example.cn' }, renderReminderMessage(reminderContent(), 'en'));

    expect(result).toMatchObject({ ok: false, retryable: false, statusCode: 550 });
    expect(server.received).toHaveLength(0);
  });

  it('reports a temporary refusal (450, e.g. greylisting) as retryable', async () => {
    const server = await smtp(450);

    const result = await channelTo(server).send({ to: 'later@example.cn' }, renderReminderMessage(reminderContent(), 'en'));

    expect(result).toMatchObject({ ok: false, retryable: true, statusCode: 450 });
  });

  it('reports an unreachable SMTP server as retryable', async () => {
    const server = await smtp();
    const sut = channelTo(server);
    await server.stop();

    const result = await sut.send({ to: 'wang.fang@example.cn' }, renderReminderMessage(reminderContent(), 'en'));

    expect(result).toMatchObject({ ok: false, retryable: true });
  });
});
