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

/**
 * SMTP when SMTP_URL is set (STARTTLS whenever the server offers it). Without it, the
 * embedded default writes each message as an .eml file under DATA_DIR/outbox and logs
 * its links, so a developer can follow them. Only plain fields reach nodemailer: never
 * raw, attachments or paths built from input.
 */
export function createMailTransport(options: { smtpUrl?: string; from: string; dataDir: string; logger: Logger }): MailTransport {
  const { logger } = options;
  if (options.smtpUrl) {
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
      const links = mail.text.match(/https?:\/\/\S+/g) ?? [];
      // Development only (no SMTP_URL): the links are what a developer needs to continue.
      logger.info({ to, subject: mail.subject, file, links }, 'mail written to file (no SMTP_URL set)');
    },
    close: () => transporter.close(),
  };
}
