import { Injectable } from '@nestjs/common';
import { HealthContributor, HealthReport } from '@reliable-payments/http';
import { OutboxRelay } from '@reliable-payments/outbox';

/** Adds the outbox backlog to /health; stuck rows are flagged there and in the logs. */
@Injectable()
export class OutboxHealth implements HealthContributor {
  constructor(private readonly relay: OutboxRelay) {}

  async details() {
    const backlog = await this.relay.backlog();
    return { outbox: { ...backlog, status: backlog.stuck > 0 ? 'stuck' : 'ok', relay: this.relay.stats } };
  }
}

/** The order service's `/health`: the outbox backlog and relay counters beside the checks. */
export type OrderServiceHealth = HealthReport<Awaited<ReturnType<OutboxHealth['details']>>>;
