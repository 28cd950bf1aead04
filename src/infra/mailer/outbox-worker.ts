import type { Clock } from '../clock';
import type { DataCipher } from '../crypto/data-cipher';
import type { Logger } from '../logger';
import { formatWhen } from './mail-dates';
import type { MailRenderer, RenderedMail } from './mail-renderer';
import type { LinkTemplate, MailTemplate } from './mail-templates';
import type { MailTransport } from './mail-transport';
import type { ClaimedMessage, OutboxRepository } from './outbox.repository';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const OUTBOX_POLICY = {
  pollMs: 2 * SECOND,
  /** How long a claim holds a message before another worker may take it (renewed while sending). */
  leaseMs: 120 * SECOND,
  batch: 10,
  firstRetryMs: 30 * SECOND,
  maxRetryMs: HOUR,
  /** Retries continue at least this long after the message was queued. */
  giveUpAfterMs: 26 * HOUR,
  /** A link with less life left than this would be dead by the time it is read. */
  linkMinLifeMs: 10 * MINUTE,
};

/** 30 s, 1 min, 2 min, ... doubling up to one hour between attempts. */
export function retryDelay(attempts: number): number {
  return Math.min(OUTBOX_POLICY.firstRetryMs * 2 ** Math.max(0, attempts - 1), OUTBOX_POLICY.maxRetryMs);
}

export interface OutboxWorker {
  /** Sends what is due now; returns how many messages went out. */
  runOnce(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

/** A message that can never be sent, however often it is tried (its data is unreadable). */
class UndeliverableMail extends Error {}

/**
 * Delivers queued mail inside each web process, one message per claim. While a message
 * is with the mail server its lease is renewed, so a slow server never lets another
 * worker send it again; outcomes are recorded only under the lease that was claimed.
 * A failure is retried with exponential back-off: an SMTP outage delays mail but neither
 * loses it nor fails a page. Mail whose data cannot be read is given up at once.
 */
export function createOutboxWorker(deps: { outbox: OutboxRepository; renderer: MailRenderer; transport: MailTransport; cipher: DataCipher; clock: Clock; logger: Logger; leaseMs?: number }): OutboxWorker {
  const { outbox, renderer, transport, cipher, clock, logger } = deps;
  const leaseMs = deps.leaseMs ?? OUTBOX_POLICY.leaseMs;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  function readData(message: ClaimedMessage): Record<string, unknown> {
    if (!message.data) throw new UndeliverableMail('the queued message has no data');
    try {
      return JSON.parse(cipher.decrypt(message.data)) as Record<string, unknown>;
    } catch {
      throw new UndeliverableMail('the queued data cannot be decrypted with this DATA_KEY (was it queued under another key?)');
    }
  }

  /** Renews the lease every third of its length until the returned function is called. */
  function holdLease(message: ClaimedMessage): () => void {
    const renewal = setInterval(() => {
      outbox.renewLease(message, leaseMs).then(
        (held) => held || logger.warn({ id: message.id }, 'mail lease lost while sending'),
        (err: unknown) => logger.warn({ id: message.id, err: err instanceof Error ? err.message : String(err) }, 'mail lease renewal failed'),
      );
    }, leaseMs / 3);
    renewal.unref();
    return () => clearInterval(renewal);
  }

  /**
   * The message as it should reach the recipient now. One whose link died while the mail
   * server was away is not sent as it was: a dead link reads as a working one until it is
   * followed, and a message silently dropped leaves the person waiting for mail that never
   * comes. They get instead a short note that the link expired before it could be
   * delivered, and where to ask for a new one (links are never renewed unasked: a request
   * hours old may not be theirs, and a new link is theirs to ask for).
   */
  async function compose(message: ClaimedMessage): Promise<RenderedMail> {
    const data = readData(message);
    if (!message.link || message.link.expiresAt.getTime() - clock.now().getTime() >= OUTBOX_POLICY.linkMinLifeMs) {
      return renderer.render(message.template as MailTemplate, message.locale, data);
    }
    logger.warn({ id: message.id, template: message.template, queuedAt: message.createdAt.toISOString() }, 'the link expired while the message waited; sending a note to ask for a new one instead');
    const notice = { firstName: String(data.firstName ?? ''), purpose: message.template as LinkTemplate, requestedAt: formatWhen(message.createdAt, message.locale), renewLink: message.link.renewLink };
    return renderer.render('link_expired', message.locale, notice);
  }

  async function deliver(message: ClaimedMessage): Promise<boolean> {
    const release = holdLease(message);
    try {
      await transport.send(message.to, await compose(message));
    } catch (err) {
      release();
      await recordFailure(message, err);
      return false;
    }
    release();
    if (!(await outbox.markSent(message, clock.now()))) logger.warn({ id: message.id }, 'mail sent after its lease was lost; it may arrive twice');
    return true;
  }

  async function recordFailure(message: ClaimedMessage, err: unknown): Promise<void> {
    const about = { id: message.id, template: message.template, attempts: message.attempts };
    const reason = err instanceof Error ? err.message : String(err);
    const now = clock.now();
    if (err instanceof UndeliverableMail) {
      await outbox.markGivenUp(message, reason, now);
      logger.error({ ...about, reason }, 'mail given up: it can never be sent');
    } else if (now.getTime() - message.createdAt.getTime() >= OUTBOX_POLICY.giveUpAfterMs) {
      await outbox.markGivenUp(message, reason, now);
      logger.error({ ...about, reason }, 'mail given up after retrying for a day');
    } else {
      await outbox.markFailedAttempt(message, reason, new Date(now.getTime() + retryDelay(message.attempts)));
      logger.warn({ ...about, reason }, 'mail delivery failed, will retry');
    }
  }

  /** Claims and delivers one message at a time, up to a batch, so no lease waits behind another message. */
  async function runOnce(): Promise<number> {
    let sent = 0;
    for (let i = 0; i < OUTBOX_POLICY.batch; i++) {
      const message = await outbox.claimNext(clock.now(), leaseMs);
      if (!message) break;
      if (await deliver(message)) sent += 1;
    }
    return sent;
  }

  return {
    runOnce,
    start() {
      const tick = () => {
        running = runOnce()
          .catch((err: unknown) => {
            logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'outbox poll failed');
            return 0;
          })
          .finally(() => {
            if (timer) timer = setTimeout(tick, OUTBOX_POLICY.pollMs).unref();
          });
      };
      timer = setTimeout(tick, OUTBOX_POLICY.pollMs).unref();
    },
    async stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
