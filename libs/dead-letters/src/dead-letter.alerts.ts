import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AlertRateLimiter } from './alert-rate-limiter';
import { AlertWebhook } from './alert-webhook';
import { DeadLetter } from './dead-letter.entity';
import { DEAD_LETTERS_OPTIONS, DeadLettersOptions } from './dead-letters.options';

/**
 * Raises an alert for each stored dead letter: a structured error log, a counter, and a POST to
 * ALERT_WEBHOOK_URL when set (retried with back-off, signed with ALERT_WEBHOOK_SECRET when set).
 * Rate-limited: past the burst, letters are counted and one summary alert goes out when the
 * window ends. The stored row is the durable record either way.
 */
@Injectable()
export class DeadLetterAlerts implements OnApplicationShutdown {
  private readonly logger = new Logger('DeadLetterAlert');
  private readonly limiter: AlertRateLimiter;
  private readonly webhook?: AlertWebhook;
  private summaryTimer?: NodeJS.Timeout;
  raised = 0;
  suppressed = 0;

  constructor(@Inject(DEAD_LETTERS_OPTIONS) private readonly options: DeadLettersOptions) {
    this.limiter = new AlertRateLimiter(options.alertBurst, options.alertWindowMs);
    if (options.alertWebhookUrl) this.webhook = new AlertWebhook({ url: options.alertWebhookUrl, secret: options.alertWebhookSecret });
  }

  get webhookFailures(): number {
    return this.webhook?.failures ?? 0;
  }

  raise(letter: DeadLetter): void {
    this.raised++;
    const { send, summary } = this.limiter.offer(Date.now());
    if (summary > 0) this.emitSummary(summary);
    if (!send) {
      this.suppressed++;
      this.scheduleSummary();
      return;
    }
    this.emit({
      alert: 'dead_letter',
      deadLetterId: letter.id,
      messageId: letter.messageId,
      queue: letter.originalQueue,
      reason: letter.reason,
      errorCode: letter.errorCode,
      error: letter.errorMessage,
      attempts: letter.attempts,
    });
  }

  private scheduleSummary(): void {
    if (this.summaryTimer) return;
    this.summaryTimer = setTimeout(
      () => {
        this.summaryTimer = undefined;
        const suppressed = this.limiter.roll(Date.now());
        if (suppressed > 0) this.emitSummary(suppressed);
        // A timer can fire a millisecond or two before the window's end by the wall clock (libuv
        // counts from its cached loop time): nothing rolled then, and the count must wait for the
        // next timer, not for the next letter, which may never come (a flood stored in one window).
        else if (this.limiter.pendingSuppressed > 0) this.scheduleSummary();
      },
      Math.max(1, this.limiter.windowEndsAt - Date.now()),
    );
    this.summaryTimer.unref();
  }

  private emitSummary(suppressed: number): void {
    this.emit({ alert: 'dead_letter_summary', suppressed, message: `${suppressed} more dead letters were stored; see GET /dead-letters` });
  }

  private emit(alert: Record<string, unknown>): void {
    this.logger.error(JSON.stringify(alert));
    if (this.webhook) void this.webhook.send(alert);
  }

  onApplicationShutdown(): void {
    clearTimeout(this.summaryTimer);
  }
}
