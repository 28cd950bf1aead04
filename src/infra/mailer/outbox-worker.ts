import type { Clock } from '../clock';
import type { DataCipher } from '../crypto/data-cipher';
import type { Logger } from '../logger';
import type { MailRenderer } from './mail-renderer';
import type { MailTemplate } from './mail-templates';
import type { MailTransport } from './mail-transport';
import type { OutboxRepository } from './outbox.repository';

const SECOND = 1000;
const HOUR = 3_600_000;

export const OUTBOX_POLICY = {
  pollMs: 2 * SECOND,
  leaseMs: 120 * SECOND,
  batch: 10,
  firstRetryMs: 30 * SECOND,
  maxRetryMs: HOUR,
  /** Retries continue at least this long after the message was queued. */
  giveUpAfterMs: 26 * HOUR,
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

/**
 * Delivers queued mail inside each web process. A failure is recorded and retried with
 * exponential back-off; an SMTP outage delays mail but neither loses it nor fails a page.
 */
export function createOutboxWorker(deps: { outbox: OutboxRepository; renderer: MailRenderer; transport: MailTransport; cipher: DataCipher; clock: Clock; logger: Logger }): OutboxWorker {
  const { outbox, renderer, transport, cipher, clock, logger } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function deliver(message: Awaited<ReturnType<OutboxRepository['claimDue']>>[number]): Promise<boolean> {
    try {
      if (!message.data) throw new Error('message has no data');
      const data = JSON.parse(cipher.decrypt(message.data)) as Record<string, unknown>;
      await transport.send(message.to, await renderer.render(message.template as MailTemplate, message.locale, data));
      await outbox.markSent(message.id, clock.now());
      return true;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const now = clock.now();
      if (now.getTime() - message.createdAt.getTime() >= OUTBOX_POLICY.giveUpAfterMs) {
        await outbox.markGivenUp(message.id, reason, now);
        logger.error({ id: message.id, template: message.template, attempts: message.attempts, reason }, 'mail given up after retrying for a day');
      } else {
        await outbox.markFailedAttempt(message.id, reason, new Date(now.getTime() + retryDelay(message.attempts)));
        logger.warn({ id: message.id, template: message.template, attempts: message.attempts, reason }, 'mail delivery failed, will retry');
      }
      return false;
    }
  }

  async function runOnce(): Promise<number> {
    const claimed = await outbox.claimDue(clock.now(), OUTBOX_POLICY.leaseMs, OUTBOX_POLICY.batch);
    let sent = 0;
    for (const message of claimed) if (await deliver(message)) sent += 1;
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
