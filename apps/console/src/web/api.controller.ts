import { Controller, Get, MessageEvent, Param, Req, ServiceUnavailableException, Sse, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { filter, firstValueFrom, map, Observable, of, timeout } from 'rxjs';
import { z } from 'zod';
import { ZodValidationPipe } from '@reliable-payments/http';
import { ConsoleOperatorGuard } from '../operators/console-operator.guard';
import { OperatorSessions } from '../operators/operator-sessions';
import { SnapshotService } from '../snapshot/snapshot.service';
import { OrderTimelineService } from '../timeline/order-timeline.service';

type Published = NonNullable<SnapshotService['snapshots']['value']>;

/**
 * Reads anyone may make. An anonymous viewer gets the public snapshot (the ledger's counts and the
 * pipeline's depths, nothing identifying a letter, an order or an event, no chaos detail); a
 * signed-in operator (session cookie or Bearer token) gets the full one (issue 21).
 */
@Controller('api')
export class ApiController {
  constructor(
    private readonly snapshots: SnapshotService,
    private readonly timelines: OrderTimelineService,
    private readonly sessions: OperatorSessions,
  ) {}

  /** `{paid, granted: {coupons, redPackets}, inFlight, deadLettered, discarded, lost, duplicated, at}` and per-consumer counts; `named` orders for operators only. */
  @Get('ledger')
  async ledger(@Req() request: FastifyRequest) {
    const published = await this.first();
    return this.isOperator(request) ? { ...published.snapshot.ledger, named: published.snapshot.named } : published.public.ledger;
  }

  @Get('snapshot')
  async snapshot(@Req() request: FastifyRequest) {
    const published = await this.first();
    return this.isOperator(request) ? published.snapshot : published.public;
  }

  /** The same snapshot to every viewer of a kind, serialised once per interval; the session is checked on every event (a sign-out takes effect at once). */
  @Sse('stream')
  stream(@Req() request: FastifyRequest): Observable<MessageEvent> {
    return this.snapshots.snapshots.pipe(
      filter((s) => s !== null),
      map((s) => ({ data: this.isOperator(request) ? s.json : s.publicJson, type: 'snapshot' })),
    );
  }

  /** One order's story: event ids, failures, dead letters; identifying, so operators only (issue 21). */
  @Get('orders/:id/timeline')
  @UseGuards(ConsoleOperatorGuard)
  timeline(@Param('id', new ZodValidationPipe(z.uuid({ message: 'must be a UUID' }), 'id')) id: string) {
    return this.timelines.timeline(id);
  }

  private isOperator(request: FastifyRequest): boolean {
    return this.sessions.viewer(request.headers) !== undefined;
  }

  /** The latest snapshot; right after start, the first one (503 if none comes in time). */
  private async first(): Promise<Published> {
    const latest = this.snapshots.snapshots.value;
    if (latest) return latest;
    const first = await firstValueFrom(
      this.snapshots.snapshots.pipe(
        filter((s) => s !== null),
        timeout({ first: 10_000, with: () => of(null) }),
      ),
    );
    if (!first) throw new ServiceUnavailableException('no snapshot yet');
    return first;
  }
}
