import { Controller, Get, MessageEvent, Param, ServiceUnavailableException, Sse } from '@nestjs/common';
import { filter, firstValueFrom, map, Observable, of, timeout } from 'rxjs';
import { z } from 'zod';
import { ZodValidationPipe } from '@reliable-payments/http';
import { SnapshotService } from '../snapshot/snapshot.service';
import { Snapshot } from '../snapshot/snapshot.types';
import { OrderTimelineService } from '../timeline/order-timeline.service';

/** Read-only API: needs no sign-in, reveals no payloads. */
@Controller('api')
export class ApiController {
  constructor(
    private readonly snapshots: SnapshotService,
    private readonly timelines: OrderTimelineService,
  ) {}

  /** `{paid, granted: {coupons, redPackets}, inFlight, deadLettered, discarded, lost, duplicated, at}` and per-consumer detail. */
  @Get('ledger')
  async ledger() {
    const snapshot = await this.first();
    return { ...snapshot.ledger, named: snapshot.named };
  }

  @Get('snapshot')
  snapshot() {
    return this.first();
  }

  /** The latest snapshot; right after start, the first one (503 if none comes in time). */
  private async first(): Promise<Snapshot> {
    const latest = this.snapshots.latest;
    if (latest) return latest;
    const first = await firstValueFrom(this.snapshots.snapshots.pipe(filter((s) => s !== null), timeout({ first: 10_000, with: () => of(null) })));
    if (!first) throw new ServiceUnavailableException('no snapshot yet');
    return first.snapshot;
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
