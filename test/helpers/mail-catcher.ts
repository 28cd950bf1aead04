import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  raw: string;
  parsed: ParsedMail;
}

/**
 * A real SMTP server on 127.0.0.1 (smtp-server) that keeps what it receives. With
 * `answerDelayMs` it acts like a slow mail server: it holds its answer to each message
 * that long after the message has arrived.
 */
export class MailCatcher {
  readonly messages: CaughtMail[] = [];
  port = 0;
  private server?: SMTPServer;

  constructor(private readonly options: { answerDelayMs?: number } = {}) {}

  async start(port = this.port): Promise<number> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, _session, done) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw).then(
            (parsed) => {
              const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? '');
              this.messages.push({ to, subject: parsed.subject ?? '', text: parsed.text ?? '', html: typeof parsed.html === 'string' ? parsed.html : '', raw, parsed });
              setTimeout(done, this.options.answerDelayMs ?? 0);
            },
            (err: Error) => done(err),
          );
        });
      },
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this.port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Messages to an address, oldest first. */
  to(address: string): CaughtMail[] {
    return this.messages.filter((m) => m.to.toLowerCase().includes(address.toLowerCase()));
  }

  last(address: string): CaughtMail {
    const found = this.to(address);
    const message = found[found.length - 1];
    if (!message) throw new Error(`No mail to ${address}; have: ${this.messages.map((m) => m.to).join(', ') || 'none'}`);
    return message;
  }

  clear(): void {
    this.messages.length = 0;
  }
}

/** The first link in a message's text part that starts with `prefix`. */
export function linkIn(mail: CaughtMail, prefix: string): string {
  const link = mail.text.split(/\s+/).find((word) => word.startsWith(prefix));
  if (!link) throw new Error(`No ${prefix} link in: ${mail.text}`);
  return link;
}
