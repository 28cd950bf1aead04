import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from '../logger';
import type { RenderedMail } from './mail-renderer';

export interface MailTransport {
  send(to: string, mail: RenderedMail): Promise<void>;
  close(): void;
}

export interface MailTransportOptions {
  /** MAIL_TRANSPORT: smtp through smtpUrl, or file (an .eml file per message under dataDir/outbox); smtp when smtpUrl is given. */
  kind?: 'smtp' | 'file';
  smtpUrl?: string;
  from: string;
  dataDir: string;
  logger: Logger;
  /** Log each written message's links, so a developer can follow them; never in production. */
  logLinks?: boolean;
}

/**
 * SMTP (STARTTLS whenever the server offers it), or files: each message as an .eml file
 * under DATA_DIR/outbox. Only plain fields reach nodemailer: never raw, attachments or
 * paths built from input.
 */
export function createMailTransport(options: MailTransportOptions): MailTransport {
  const { logger } = options;
  if ((options.kind ?? (options.smtpUrl ? 'smtp' : 'file')) === 'smtp' && options.smtpUrl) {
    const transporter = nodemailer.createTransport(options.smtpUrl, { from: options.from });
    return {
      async send(to, mail) {
        await transporter.sendMail({ from: options.from, to, subject: mail.subject, text: mail.text, html: mail.html });
      },
      close: () => transporter.close(),
    };
  }
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const folder = path.join(options.dataDir, 'outbox');
  return {
    async send(to, mail) {
      const info = await transporter.sendMail({ from: options.from, to, subject: mail.subject, text: mail.text, html: mail.html });
      await fs.mkdir(folder, { recursive: true });
      const file = path.join(folder, `${new Date().toISOString().replace(/[:.]/g, '-')}-${crypto.randomBytes(3).toString('hex')}.eml`);
      await fs.writeFile(file, info.message as Buffer);
      // Links carry single-use tokens: only a developer's log may show them.
      const links = options.logLinks ? { links: mail.text.match(/https?:\/\/\S+/g) ?? [] } : {};
      logger.info({ to, subject: mail.subject, file, ...links }, 'mail written to file');
    },
    close: () => transporter.close(),
  };
}
