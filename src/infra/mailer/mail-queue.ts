import type { Clock } from '../clock';
import type { DataCipher } from '../crypto/data-cipher';
import type { MailTemplate, QueuedMail } from './mail-templates';
import type { OutboxRepository } from './outbox.repository';

/**
 * How services send mail: a row in the outbox, written through the repository of the
 * transaction that makes the change, so the two commit or fail together. Delivery is
 * the outbox worker's job; nothing here talks to a mail server.
 */
export interface MailQueue {
  queue<K extends MailTemplate>(outbox: OutboxRepository, mail: QueuedMail<K>): Promise<void>;
}

/** Addresses come validated from forms; this is the last line against header injection. */
const SAFE_ADDRESS = /^[^\s"<>()\\,;:]+@[^\s"<>()\\,;:]+$/;

export function createMailQueue({ cipher, clock }: { cipher: DataCipher; clock: Clock }): MailQueue {
  return {
    async queue(outbox, mail) {
      if (!SAFE_ADDRESS.test(mail.to)) throw new Error('Refusing to queue mail for an unsafe address');
      const now = clock.now();
      const link = mail.expiringLink && { expiresAt: new Date(now.getTime() + mail.expiringLink.lifetimeMs), renewLink: mail.expiringLink.renewLink };
      await outbox.insert({ to: mail.to, template: mail.template, locale: mail.locale, data: cipher.encrypt(JSON.stringify(mail.data)), now, link });
    },
  };
}
