import nodemailer, { type Transporter } from 'nodemailer';
import type { SmtpConfig } from '../config.ts';
import { conflict } from '../errors.ts';

export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
  html?: string;
}

/** Sends e-mail: notifications, shift handovers. */
export interface Mailer {
  /** Resolves once the SMTP server accepted the message for every recipient; rejects otherwise. */
  send(message: MailMessage): Promise<void>;
}

/** Mailer over SMTP (`HARRIER_SMTP_URL`); one pooled connection reused between messages. */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(private readonly config: SmtpConfig) {
    this.transport = nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      auth: config.user !== undefined ? { user: config.user, pass: config.password ?? '' } : undefined,
      pool: true,
      maxConnections: 2,
      // A slow or silent server must not hold a notification job forever.
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
    });
  }

  async send(message: MailMessage): Promise<void> {
    if (message.to.length === 0) return;
    const info = await this.transport.sendMail({
      from: this.config.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      ...(message.html !== undefined ? { html: message.html } : {}),
    });
    const rejected = info.rejected ?? [];
    if (rejected.length > 0) {
      throw new Error(`SMTP server refused ${rejected.length} recipient(s)`);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** Stands in when `HARRIER_SMTP_URL` is unset: sending is a clear 409, never a silent drop. */
export class DisabledMailer implements Mailer {
  async send(): Promise<void> {
    throw conflict('smtp_not_configured', 'E-mail is not configured on this server (set HARRIER_SMTP_URL).');
  }
}

/** The mailer the configuration asks for. */
export function createMailer(config: SmtpConfig | undefined): Mailer & { close?(): void } {
  return config === undefined ? new DisabledMailer() : new SmtpMailer(config);
}
