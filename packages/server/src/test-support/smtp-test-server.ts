import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { SmtpConfig } from '../config.ts';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | undefined;
}

/**
 * A real SMTP server on a free local port that keeps every message it accepts,
 * for tests of e-mail delivery (plain SMTP, any credentials accepted).
 */
export class SmtpTestServer {
  readonly messages: ReceivedMail[] = [];
  private waiters: Array<{ count: number; resolve: () => void }> = [];
  private readonly server: SMTPServer;
  private port = 0;

  constructor() {
    this.server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            this.messages.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : undefined,
            });
            this.wake();
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
  }

  static async start(): Promise<SmtpTestServer> {
    const s = new SmtpTestServer();
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
    s.port = (s.server.server.address() as AddressInfo).port;
    return s;
  }

  /** `HARRIER_SMTP_URL` pointing here. */
  get url(): string {
    return `smtp://test:secret@127.0.0.1:${this.port}?from=harrier@test.local`;
  }

  get config(): SmtpConfig {
    return {
      host: '127.0.0.1',
      port: this.port,
      secure: false,
      user: 'test',
      password: 'secret',
      from: 'harrier@test.local',
    };
  }

  /** Resolves once at least `count` messages have arrived. */
  waitFor(count: number): Promise<void> {
    if (this.messages.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  private wake(): void {
    const ready = this.waiters.filter((w) => this.messages.length >= w.count);
    this.waiters = this.waiters.filter((w) => this.messages.length < w.count);
    for (const w of ready) w.resolve();
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
