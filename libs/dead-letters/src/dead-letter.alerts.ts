import { Inject, Injectable, Logger } from '@nestjs/common';
import { DeadLetter } from './dead-letter.entity';
import { DEAD_LETTERS_OPTIONS, DeadLettersOptions } from './dead-letters.options';

/**
 * Raises an alert for each stored dead letter: a structured error log, a counter, and a POST to
 * ALERT_WEBHOOK_URL when set. The stored row is the durable record; a failed webhook is logged,
 * not retried.
 */
@Injectable()
export class DeadLetterAlerts {
  private readonly logger = new Logger('DeadLetterAlert');
  raised = 0;
  webhookFailures = 0;

  constructor(@Inject(DEAD_LETTERS_OPTIONS) private readonly options: DeadLettersOptions) {}

  raise(letter: DeadLetter): void {
    this.raised++;
    const alert = {
      alert: 'dead_letter',
      deadLetterId: letter.id,
      messageId: letter.messageId,
      queue: letter.originalQueue,
      reason: letter.reason,
      errorCode: letter.errorCode,
      error: letter.errorMessage,
      attempts: letter.attempts,
    };
    this.logger.error(JSON.stringify(alert));
    if (this.options.alertWebhookUrl) void this.post(this.options.alertWebhookUrl, alert);
  }

  private async post(url: string, alert: Record<string, unknown>): Promise<void> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alert),
        signal: AbortSignal.timeout(3_000),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    } catch (error) {
      this.webhookFailures++;
      this.logger.warn(`alert webhook failed: ${(error as Error).message}`);
    }
  }
}
