import { Logger } from '@nestjs/common';
import { createHmac } from 'node:crypto';

export interface WebhookOptions {
  url: string;
  /** Signs each call: `X-Alert-Signature: sha256=<hex HMAC of "<timestamp>.<body>">`. */
  secret?: string;
  /** Calls per alert at most (first try included). */
  attempts?: number;
  /** First back-off; doubled each retry, with jitter. */
  backoffMs?: number;
  timeoutMs?: number;
}

/** The signature a receiver recomputes to trust an alert and reject a replay of an old one. */
export function signAlert(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * POSTs alerts to a webhook, retrying a failed call a bounded number of times with back-off.
 * The stored dead letter is the durable record; a webhook that stays down costs a warning and a
 * counter, never the letter.
 */
export class AlertWebhook {
  private readonly logger = new Logger('AlertWebhook');
  failures = 0;

  constructor(private readonly options: WebhookOptions) {}

  async send(alert: Record<string, unknown>): Promise<boolean> {
    const attempts = this.options.attempts ?? 4;
    let delay = this.options.backoffMs ?? 500;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.post(alert);
        return true;
      } catch (error) {
        if (attempt >= attempts) {
          this.failures++;
          this.logger.warn(`alert webhook failed ${attempts} times, giving up on this alert: ${(error as Error).message}`);
          return false;
        }
        await new Promise((resolve) => setTimeout(resolve, delay * (0.75 + Math.random() / 2)).unref());
        delay *= 2;
      }
    }
  }

  private async post(alert: Record<string, unknown>): Promise<void> {
    const body = JSON.stringify(alert);
    const timestamp = String(Date.now());
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-alert-timestamp': timestamp };
    if (this.options.secret) headers['x-alert-signature'] = signAlert(this.options.secret, timestamp, body);
    const response = await fetch(this.options.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.options.timeoutMs ?? 3_000) });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  }
}
