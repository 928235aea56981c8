import { CallHandler, CanActivate, ExecutionContext, Injectable, NestInterceptor, UseGuards, UseInterceptors } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { connect } from 'amqplib';
import { randomBytes } from 'node:crypto';
import { Observable, tap } from 'rxjs';
import { PAYMENT_EVENTS_EXCHANGE, PaymentSucceeded, PaymentSucceededV1 } from '@reliable-payments/contracts';
import { paymentEvent, RawPublisher } from '../../../test/support/raw-publisher';
import { waitFor } from '../../../test/support/wait-for';
import { ConsumeEvent, DeliveryContext, MessagingModule, MessagingService, Outcome, retryPolicy } from './index';

const AMQP_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const seen: Array<{ type: string; eventId: string; attempt: number; outcome?: unknown }> = [];
const handled: string[] = [];

/** Records what Nest hands an interceptor around a message, and what the handler returned. */
@Injectable()
class RecordingInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const [event, delivery] = context.getArgs<[PaymentSucceededV1, DeliveryContext]>();
    const entry: (typeof seen)[number] = { type: context.getType(), eventId: event.eventId, attempt: delivery.attempt };
    seen.push(entry);
    return next.handle().pipe(tap((outcome) => (entry.outcome = outcome)));
  }
}

/** Refuses events of user "blocked": the handler must not run, and the refusal is a failure like any other. */
@Injectable()
class BlockedUserGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.getArgs<[PaymentSucceededV1]>()[0].data.userId !== 'blocked';
  }
}

@Injectable()
@UseInterceptors(RecordingInterceptor)
class Handler {
  @UseGuards(BlockedUserGuard)
  @ConsumeEvent(PaymentSucceeded, { consumer: 'binding' })
  async onPayment(event: PaymentSucceededV1): Promise<Outcome> {
    handled.push(event.eventId);
    return handled.filter((id) => id === event.eventId).length > 1 ? Outcome.Duplicate : Outcome.Processed;
  }
}

/**
 * Message handlers are bound the way Nest binds its own: guards and interceptors run around every
 * message (context type 'amqp', arguments event and DeliveryContext), and a guard's refusal is a
 * failure the library routes like any other.
 */
describe('handlers bound through Nest (guards and interceptors around a message)', () => {
  const prefix = `tb${randomBytes(4).toString('hex')}.`;
  let moduleRef: TestingModule;
  const raw = new RawPublisher();

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        MessagingModule.forRootAsync({
          useFactory: () => ({
            url: AMQP_URL,
            connectionName: 'nest-binding test',
            namePrefix: prefix,
            queueType: 'classic',
            confirmTimeoutMs: 5_000,
            exchanges: [PAYMENT_EVENTS_EXCHANGE],
            consumers: {
              binding: {
                queue: 'binding.payment-succeeded',
                exchange: PAYMENT_EVENTS_EXCHANGE,
                prefetch: 8,
                retry: retryPolicy([200]),
                pauseOnDependencyDown: false,
                maxMessageBytes: 65_536,
              },
            },
          }),
        }),
      ],
      providers: [Handler, RecordingInterceptor, BlockedUserGuard],
    }).compile();
    await moduleRef.init();
    await raw.open();
  });

  afterAll(async () => {
    const names = moduleRef.get(MessagingService).declaredNames();
    await moduleRef.close();
    await raw.close();
    const connection = await connect(AMQP_URL);
    const channel = await connection.createChannel();
    for (const queue of names.queues) await channel.deleteQueue(queue);
    for (const exchange of names.exchanges) await channel.deleteExchange(exchange);
    await connection.close();
  });

  const publish = (event: PaymentSucceededV1) =>
    raw.publish(`${prefix}${PAYMENT_EVENTS_EXCHANGE}`, PaymentSucceeded.routingKey, JSON.stringify(event), {
      messageId: event.eventId,
      contentType: 'application/json',
    });

  it('runs the class interceptor around each message, with the event and its delivery context', async () => {
    const event = paymentEvent();
    await publish(event);
    await publish(event);
    await waitFor(() => seen.filter((s) => s.eventId === event.eventId && s.outcome !== undefined).length === 2, { message: 'both deliveries intercepted' });
    expect(seen.filter((s) => s.eventId === event.eventId)).toEqual([
      { type: 'amqp', eventId: event.eventId, attempt: 1, outcome: Outcome.Processed },
      { type: 'amqp', eventId: event.eventId, attempt: 1, outcome: Outcome.Duplicate },
    ]);
    const stats = moduleRef
      .get(MessagingService)
      .status()
      .consumers.find((c) => c.role === 'events');
    expect(stats).toMatchObject({ processed: 1, duplicates: 1 });
  });

  it("treats a guard's refusal as a failure: the handler never runs, the message climbs the ladder and is dead-lettered", async () => {
    const event = paymentEvent({ userId: 'blocked' });
    await publish(event);
    await waitFor(
      () =>
        moduleRef
          .get(MessagingService)
          .status()
          .consumers.find((c) => c.role === 'events')?.deadLettered === 1,
      { timeoutMs: 10_000, message: 'dead-lettered after the ladder' },
    );
    expect(handled).not.toContain(event.eventId);
    // Guards run before interceptors: a refused message never reaches either.
    expect(seen.filter((s) => s.eventId === event.eventId)).toEqual([]);
    expect(
      moduleRef
        .get(MessagingService)
        .status()
        .consumers.find((c) => c.role === 'events'),
    ).toMatchObject({ retried: 1 });
    expect(await raw.queueDepth(`${prefix}binding.payment-succeeded.dlq`)).toBe(1);
  });
});

// A handler whose parameter is not the contract's type does not compile.
class Mismatched {
  // @ts-expect-error -- PaymentSucceeded's events are PaymentSucceededV1, not strings
  @ConsumeEvent(PaymentSucceeded, { consumer: 'binding' })
  async wrong(event: string): Promise<void> {
    void event;
  }
}
void Mismatched;
