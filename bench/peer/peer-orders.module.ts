import { Body, Controller, HttpCode, Inject, Injectable, Module, NotFoundException, Param, Post } from '@nestjs/common';
import { ClientProxy, ClientsModule, Transport } from '@nestjs/microservices';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { lastValueFrom } from 'rxjs';
import { Repository } from 'typeorm';
import { PeerOrder } from './peer.entities';
import { peerEnv } from './peer-env';

/**
 * The order service as the NestJS docs show it: a repository `save`, then `ClientProxy.emit`
 * over the RMQ transport to each consumer's queue. No outbox: a crash (or a broker outage)
 * between the commit and the emit loses the event, and the order stays paid with no grant.
 */
@Injectable()
export class PeerOrdersService {
  constructor(
    @InjectRepository(PeerOrder) private readonly orders: Repository<PeerOrder>,
    @Inject('COUPONS') private readonly coupons: ClientProxy,
    @Inject('RED_PACKETS') private readonly redPackets: ClientProxy,
  ) {}

  create(body: { userId: string; amount: string }): Promise<PeerOrder> {
    return this.orders.save(this.orders.create({ userId: body.userId, amount: body.amount, status: 'CREATED' }));
  }

  async pay(id: string): Promise<PeerOrder> {
    const order = await this.orders.findOneBy({ id });
    if (!order) throw new NotFoundException();
    if (order.status !== 'CREATED') return order;
    order.status = 'PAID';
    await this.orders.save(order);
    // Emitted after the commit, awaited (the docs' `emit` is fire-and-forget unless subscribed).
    const event = { eventId: randomUUID(), orderId: order.id, userId: order.userId, amount: order.amount };
    await Promise.all([lastValueFrom(this.coupons.emit('payment_succeeded', event)), lastValueFrom(this.redPackets.emit('payment_succeeded', event))]);
    return order;
  }
}

@Controller('orders')
export class PeerOrdersController {
  constructor(private readonly orders: PeerOrdersService) {}

  @Post()
  create(@Body() body: { userId: string; amount: string }): Promise<PeerOrder> {
    return this.orders.create(body);
  }

  @Post(':id/pay')
  @HttpCode(200)
  pay(@Param('id') id: string): Promise<PeerOrder> {
    return this.orders.pay(id);
  }
}

const env = peerEnv();
const client = (name: string, queue: string) => ({
  name,
  transport: Transport.RMQ as const,
  options: { urls: [env.amqpUrl], queue, persistent: true, queueOptions: { durable: true } },
});

@Module({
  imports: [
    TypeOrmModule.forRoot({ type: 'mysql', url: env.databaseUrl, entities: [PeerOrder], poolSize: 16 }),
    TypeOrmModule.forFeature([PeerOrder]),
    ClientsModule.register([client('COUPONS', env.couponQueue), client('RED_PACKETS', env.redPacketQueue)]),
  ],
  controllers: [PeerOrdersController],
  providers: [PeerOrdersService],
})
export class PeerOrdersModule {}
