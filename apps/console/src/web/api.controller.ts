import { Controller, Get, MessageEvent, Param, Sse } from '@nestjs/common';
import { filter, map, Observable } from 'rxjs';
import { z } from 'zod';
import { ZodValidationPipe } from '@app/http';
import { SnapshotService } from '../snapshot/snapshot.service';
import { OrderTimelineService } from '../timeline/order-timeline.service';

/** Read-only API: needs no sign-in, reveals no payloads. */
@Controller('api')
export class ApiController {
  constructor(
    private readonly snapshots: SnapshotService,
    private readonly timelines: OrderTimelineService,
  ) {}

  /** `{paid, granted: {coupons, redPackets}, inFlight, deadLettered, lost, duplicated, at}` and per-consumer detail. */
  @Get('ledger')
  async ledger() {
    const snapshot = this.snapshots.latest ?? (await this.snapshots.poll(), this.snapshots.latest);
    if (!snapshot) return { paid: 0, granted: { coupons: 0, redPackets: 0 }, inFlight: 0, deadLettered: 0, lost: 0, duplicated: 0, at: new Date().toISOString(), settled: false, fresh: false };
    return { ...snapshot.ledger, named: snapshot.named };
  }

  @Get('snapshot')
  snapshot() {
    return this.snapshots.latest ?? {};
  }

  /** The same snapshot to every viewer, serialised once per interval. */
  @Sse('stream')
  stream(): Observable<MessageEvent> {
    return this.snapshots.snapshots.pipe(
      filter((s) => s !== null),
      map((s) => ({ data: s.json, type: 'snapshot' })),
    );
  }

  @Get('orders/:id/timeline')
  timeline(@Param('id', new ZodValidationPipe(z.uuid({ message: 'must be a UUID' }), 'id')) id: string) {
    return this.timelines.timeline(id);
  }
}
