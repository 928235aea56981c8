import { connect, ChannelModel, ConfirmChannel, Options } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { PaymentSucceededV1, paymentSucceededV1 } from '@reliable-payments/contracts';
import { TestSystem } from './test-system';
import { testAmqpUrl } from '../../tools/harness/test-servers';

/** Publishes straight to the broker, bypassing the order service: for poison and duplicate tests. */
export class RawPublisher {
  private connection?: ChannelModel;
  private channel?: ConfirmChannel;

  async open(url = testAmqpUrl()): Promise<this> {
    this.connection = await connect(url);
    this.connection.on('error', () => undefined);
    this.channel = await this.connection.createConfirmChannel();
    this.channel.on('error', () => undefined);
    return this;
  }

  async publish(exchange: string, routingKey: string, body: Buffer | string, options: Options.Publish = {}): Promise<void> {
    const channel = this.channel!;
    await new Promise<void>((resolve, reject) =>
      channel.publish(exchange, routingKey, Buffer.isBuffer(body) ? body : Buffer.from(body), { persistent: true, ...options }, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
  }

  async queueDepth(queue: string): Promise<number> {
    return (await this.channel!.checkQueue(queue)).messageCount;
  }

  async close(): Promise<void> {
    await this.connection?.close().catch(() => undefined);
  }
}

/** A valid payment.succeeded event for an order that only exists in the message. */
export function paymentEvent(overrides: Partial<PaymentSucceededV1['data']> = {}): PaymentSucceededV1 {
  return paymentSucceededV1({ orderId: randomUUID(), userId: 'raw-user', amount: '42.00', currency: 'CNY', ...overrides });
}

/** In a describe block: a test system and a publisher straight to the broker, opened before its tests and removed after. */
export function systemWithPublisher(): { system: TestSystem; raw: RawPublisher } {
  const system = new TestSystem();
  const raw = new RawPublisher();
  beforeAll(() => raw.open());
  afterAll(async () => {
    await raw.close();
    await system.cleanup();
  });
  return { system, raw };
}
