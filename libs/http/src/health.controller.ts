import { Controller, Get, Inject, Optional, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { MessagingService } from '@app/messaging';
import { probeDatabase } from '@app/persistence';

/** Extra, service-specific facts for `/health` (e.g. the outbox backlog). Never decides up/down. */
export interface HealthContributor {
  details(): Promise<Record<string, unknown>>;
}
export const HEALTH_CONTRIBUTOR = Symbol('HEALTH_CONTRIBUTOR');

/** 200 when the database and the broker both answer ("degraded" while the broker blocks publishing); otherwise 503 naming what is down. */
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messaging: MessagingService,
    @Optional() @Inject(HEALTH_CONTRIBUTOR) private readonly contributor?: HealthContributor,
  ) {}

  @Get()
  async check(@Res({ passthrough: true }) res: FastifyReply) {
    const database = await probeDatabase(this.dataSource, 1_500).then(
      () => ({ status: 'up' as const }),
      (error: Error) => ({ status: 'down' as const, error: error.message }),
    );
    const messaging = this.messaging.status();
    const broker = !(messaging.connected && messaging.publisherReady)
      ? { status: 'down' as const, error: messaging.lastError ?? 'not connected' }
      : messaging.blocked
        ? { status: 'blocked' as const, node: messaging.node, reason: messaging.blocked, inFlight: messaging.inFlight }
        : { status: 'up' as const, node: messaging.node, inFlight: messaging.inFlight };
    const details = database.status === 'up' && this.contributor ? await this.contributor.details().catch(() => ({})) : {};
    // A dead-letter handler that cannot store letters is the end of the line failing: say so.
    const deadLetterHandler = messaging.consumers.find((c) => c.role === 'dead-letters' && (c.state === 'paused' || c.consecutiveFailures > 0));
    const down = [
      database.status === 'down' && 'database',
      broker.status === 'down' && 'broker',
      deadLetterHandler && `dead-letter handler (${deadLetterHandler.queue}: ${deadLetterHandler.state}, cannot store letters)`,
    ].filter(Boolean) as string[];
    const checks = { database, broker, consumers: messaging.consumers, ...details };
    // A blocked broker (memory or disk alarm) is "degraded", not down: 200, because this instance
    // still does its work (orders are accepted into the outbox, consumers keep consuming) and a
    // restart or a load balancer pulling it would not lift a cluster-wide alarm. The message says so.
    if (down.length === 0 && broker.status === 'blocked') return { status: 'degraded', message: 'broker blocked', checks };
    if (down.length === 0) return { status: 'ok', checks };
    void res.status(503);
    return { statusCode: 503, error: 'Service Unavailable', message: `${down.join(' and ')} down`, checks };
  }
}
