import { Controller, Get, Inject, Logger, Optional, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { MessagingService } from '@reliable-payments/messaging';
import { probeDatabase } from '@reliable-payments/persistence';
import { BrokerCheck, DatabaseCheck, HealthReport } from './health-report';

/** Extra, service-specific facts for `/health` (e.g. the outbox backlog). Never decides up/down. */
export interface HealthContributor {
  details(): Promise<Record<string, unknown>>;
}
export const HEALTH_CONTRIBUTOR = Symbol('HEALTH_CONTRIBUTOR');

/**
 * `/health`: 200 when the database and the broker both answer ("degraded" while the broker blocks
 * publishing), otherwise 503 naming what is down, with counters and backlog. `/health/live`: the
 * process answers (a liveness probe restarts it only when it does not). `/health/ready`: the same
 * dependencies without the details (a readiness probe takes it out of rotation meanwhile;
 * restarting would not bring a database back).
 */
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messaging: MessagingService,
    @Optional() @Inject(HEALTH_CONTRIBUTOR) private readonly contributor?: HealthContributor,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok', uptimeSeconds: Math.round(process.uptime()) };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) res: FastifyReply) {
    const { database, broker, down } = await this.dependencies();
    // A probe's answer is seen by whoever can reach the port: stable codes only, the driver's
    // text (hosts, ports) goes to the log (issue 20, finding 10).
    if (database.status === 'down') this.logger.warn(`ready: database down: ${database.error}`);
    if (broker.status === 'down') this.logger.warn(`ready: broker down: ${broker.error}`);
    const checks = {
      database: database.status === 'down' ? { status: 'down' as const, code: 'DATABASE_UNREACHABLE' } : database,
      broker: broker.status === 'down' ? { status: 'down' as const, code: 'BROKER_UNREACHABLE' } : broker,
    };
    if (down.length === 0) return { status: broker.status === 'blocked' ? 'degraded' : 'ok', checks };
    void res.status(503);
    return { statusCode: 503, error: 'Service Unavailable', message: `${down.join(' and ')} down`, checks };
  }

  @Get()
  async check(@Res({ passthrough: true }) res: FastifyReply): Promise<HealthReport> {
    const { database, broker, down, messaging } = await this.dependencies();
    const details = database.status === 'up' && this.contributor ? await this.contributor.details().catch(() => ({})) : {};
    // A dead-letter handler that cannot store letters is the end of the line failing: say so.
    const deadLetterHandler = messaging.consumers.find((c) => c.role === 'dead-letters' && (c.state === 'paused' || c.consecutiveFailures > 0));
    if (deadLetterHandler) down.push(`dead-letter handler (${deadLetterHandler.queue}: ${deadLetterHandler.state}, cannot store letters)`);
    const checks = { database, broker, consumers: messaging.consumers, ...details };
    // A blocked broker (memory or disk alarm) is "degraded", not down: 200, because this instance
    // still does its work (orders are accepted into the outbox, consumers keep consuming) and a
    // restart or a load balancer pulling it would not lift a cluster-wide alarm. The message says so.
    if (down.length === 0 && broker.status === 'blocked') return { status: 'degraded', message: 'broker blocked', checks };
    if (down.length === 0) return { status: 'ok', checks };
    void res.status(503);
    return { statusCode: 503, error: 'Service Unavailable', message: `${down.join(' and ')} down`, checks };
  }

  private async dependencies() {
    const database: DatabaseCheck = await probeDatabase(this.dataSource, 1_500).then(
      () => ({ status: 'up' as const }),
      (error: Error) => ({ status: 'down' as const, error: error.message }),
    );
    const messaging = this.messaging.status();
    const broker: BrokerCheck = !(messaging.connected && messaging.publisherReady)
      ? { status: 'down' as const, error: messaging.lastError ?? 'not connected' }
      : messaging.blocked
        ? { status: 'blocked' as const, node: messaging.node, reason: messaging.blocked, inFlight: messaging.inFlight }
        : { status: 'up' as const, node: messaging.node, inFlight: messaging.inFlight };
    const down = [database.status === 'down' && 'database', broker.status === 'down' && 'broker'].filter(Boolean) as string[];
    return { database, broker, down, messaging };
  }
}
