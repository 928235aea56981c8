import { Injectable, NotFoundException } from '@nestjs/common';
import { CONSUMER_NAMES } from '@reliable-payments/contracts';
import { ConsoleServices } from '../console.options';
import { ServiceError } from '../services/service-client';

export interface TimelineEntry {
  at: string;
  service: string;
  event: string;
  detail: Record<string, unknown>;
}

/**
 * One order's story across the three services, in time order: the order service's rows (created,
 * paid, its event published) and each consumer's (failed deliveries from the attempt history,
 * dead-lettered, re-driven, granted). A consumer that does not answer adds a row saying so.
 */
@Injectable()
export class OrderTimelineService {
  constructor(private readonly services: ConsoleServices) {}

  async timeline(orderId: string): Promise<TimelineEntry[]> {
    const order = await this.services.order.get<{ eventId: string | null; rows: TimelineEntry[] }>(`/orders/${orderId}/timeline`).catch((error: unknown) => {
      if (error instanceof ServiceError && error.status === 404) throw new NotFoundException(`order ${orderId} not found`);
      throw error;
    });
    const query = order.eventId ? `?eventId=${encodeURIComponent(order.eventId)}` : '';
    const consumers = await Promise.all(
      CONSUMER_NAMES.map((name) =>
        this.services.consumers[name]
          .get<{ rows: TimelineEntry[] }>(`/ledger/orders/${orderId}/timeline${query}`)
          .then((r) => r.rows)
          .catch((error: Error) => [
            { at: new Date().toISOString(), service: this.services.consumers[name].name, event: 'unavailable', detail: { error: error.message } },
          ]),
      ),
    );
    // Stable sort: rows with the same time keep the pipeline's order (order service first).
    return [...order.rows, ...consumers.flat()].sort((a, b) => a.at.localeCompare(b.at));
  }
}
