import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConsoleServices } from '../console.options';

const MAX_CONCURRENCY = 8;
const TICK_MS = 100;

/**
 * Pays orders through the order service's public API, as a client would: one, a burst, or a
 * steady rate. Bounded: at most MAX_CONCURRENCY requests at once, and a steady stream skips a
 * tick's orders rather than piling requests up when the service is slower than the rate.
 */
@Injectable()
export class PayLoadService implements OnModuleDestroy {
  private readonly logger = new Logger(PayLoadService.name);
  private timer?: NodeJS.Timeout;
  private due = 0;
  private running = 0;
  readonly steady = { rate: 0, running: false, paid: 0, failed: 0 };
  readonly recentOrders: string[] = [];
  lastError: string | null = null;

  constructor(private readonly services: ConsoleServices) {}

  /** Creates and pays one order; resolves to its id. */
  async payOne(amount = randomAmount()): Promise<string> {
    const created = await this.services.order.request<{ id: string }>('POST', '/orders', { body: { userId: 'console', amount } });
    await this.services.order.request('POST', `/orders/${created.body.id}/pay`);
    this.recentOrders.unshift(created.body.id);
    this.recentOrders.length = Math.min(this.recentOrders.length, 20);
    return created.body.id;
  }

  /** Pays `count` orders, MAX_CONCURRENCY at a time; reports how many were paid and the first error. */
  async burst(count: number): Promise<{ paid: number; failed: number; orderIds: string[]; error?: string }> {
    const ids: string[] = [];
    let failed = 0;
    let error: string | undefined;
    let next = 0;
    const worker = async () => {
      while (next < count) {
        next++;
        try {
          ids.push(await this.payOne());
        } catch (e) {
          failed++;
          error ??= (e as Error).message;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(MAX_CONCURRENCY, count) }, worker));
    return { paid: ids.length, failed, orderIds: ids.slice(0, 10), ...(error ? { error } : {}) };
  }

  startSteady(rate: number): void {
    this.stopSteady();
    Object.assign(this.steady, { rate, running: true, paid: 0, failed: 0 });
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  stopSteady(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.steady.running = false;
    this.due = 0;
  }

  private tick(): void {
    this.due += (this.steady.rate * TICK_MS) / 1000;
    while (this.due >= 1) {
      this.due -= 1;
      if (this.running >= MAX_CONCURRENCY) continue; // the service is behind the rate: skip, do not queue up
      this.running++;
      this.payOne()
        .then(() => this.steady.paid++)
        .catch((error: Error) => {
          this.steady.failed++;
          if (this.lastError !== error.message) this.logger.warn(`steady pay failed: ${error.message}`);
          this.lastError = error.message;
        })
        .finally(() => this.running--);
    }
  }

  onModuleDestroy(): void {
    this.stopSteady();
  }
}

function randomAmount(): string {
  return (10 + Math.floor(Math.random() * 49_000) / 100).toFixed(2);
}
