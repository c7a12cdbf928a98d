import { createTransport, type Transporter } from 'nodemailer';
import { describeError } from '../channels/http-failure.classifier.js';
import type { DeliveryResult, NotificationChannel, RenderedMessage } from '../channels/notification-channel.model.js';

export interface SmtpOptions {
  host: string;
  port: number;
  /** true: TLS from the first byte (port 465); false: plain, upgraded by STARTTLS when the server offers it. */
  secure: boolean;
  auth?: { user: string; pass: string };
  /** "CarHealth <reminders@example.com>" */
  from: string;
  timeoutMs?: number;
}

export interface EmailTarget {
  to: string;
  /**
   * The delivery's id: sent as the Message-ID, so a message re-sent after a crash between the server's
   * answer and our record is the same message to mail servers and clients, which drop a repeated one.
   */
  deliveryId?: string;
}

/** E-mail over SMTP: one multipart/alternative message (plain text + HTML) per notification. */
export class EmailChannel implements NotificationChannel<EmailTarget> {
  readonly kind = 'EMAIL' as const;
  private readonly transport: Transporter;

  constructor(private readonly options: SmtpOptions) {
    const timeoutMs = options.timeoutMs ?? 10_000;
    this.transport = createTransport({
      host: options.host,
      port: options.port,
      secure: options.secure,
      ...(options.auth ? { auth: options.auth } : {}),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
  }

  async send(target: EmailTarget, message: RenderedMessage): Promise<DeliveryResult> {
    try {
      const info = await this.transport.sendMail({
        from: this.options.from,
        to: target.to,
        ...(target.deliveryId ? { messageId: `<${target.deliveryId}@carhealth.local>` } : {}),
        subject: message.title,
        text: message.text,
        html: message.html,
      });
      if (Array.isArray(info.rejected) && info.rejected.length > 0) {
        return { ok: false, retryable: false, detail: `recipient rejected: ${String(info.rejected[0])}` };
      }
      return { ok: true };
    } catch (error) {
      return classifySmtpError(error);
    }
  }

  close(): void {
    this.transport.close();
  }
}

interface SmtpError {
  code?: string;
  responseCode?: number;
}

/** SMTP 4xx is a transient refusal (greylisting, mailbox full) and 5xx permanent; no reply at all is a network problem. */
export function classifySmtpError(error: unknown): DeliveryResult {
  const { code, responseCode } = (typeof error === 'object' && error !== null ? error : {}) as SmtpError;
  const detail = `${code ?? 'SMTP'}${responseCode ? ` ${responseCode}` : ''}: ${describeError(error)}`;
  if (typeof responseCode === 'number') {
    return { ok: false, retryable: responseCode >= 400 && responseCode < 500, statusCode: responseCode, detail };
  }
  // A bad address or rejected credentials will fail the same way next time.
  const permanent = code === 'EENVELOPE' || code === 'EAUTH' || code === 'EMESSAGE';
  return { ok: false, retryable: !permanent, detail };
}
