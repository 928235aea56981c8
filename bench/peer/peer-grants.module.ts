import { Controller, Injectable, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload, RmqContext } from '@nestjs/microservices';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PeerGrant } from './peer.entities';
import { peerEnv } from './peer-env';

@Injectable()
export class PeerGrantsService {
  constructor(@InjectRepository(PeerGrant) private readonly grants: Repository<PeerGrant>) {}

  grant(event: { eventId: string; orderId: string }): Promise<PeerGrant> {
    return this.grants.save(this.grants.create({ orderId: event.orderId, eventId: event.eventId, amount: '1.00' }));
  }
}

/**
 * A consumer the docs' way: `@EventPattern` on the RMQ transport with `noAck: false`, the ack
 * through `RmqContext` after the save. No inbox table, no retry ladder: a failed save is nacked
 * without requeue (dropped), and a redelivered event is caught only by the unique `order_id`.
 */
@Controller()
export class PeerGrantsController {
  constructor(private readonly grants: PeerGrantsService) {}

  @EventPattern('payment_succeeded')
  async onPaymentSucceeded(@Payload() event: { eventId: string; orderId: string }, @Ctx() ctx: unknown): Promise<void> {
    const context = ctx as RmqContext;
    const channel = context.getChannelRef();
    const message = context.getMessage();
    try {
      await this.grants.grant(event);
      channel.ack(message);
    } catch {
      channel.nack(message, false, false);
    }
  }
}

const env = peerEnv();

@Module({
  imports: [TypeOrmModule.forRoot({ type: 'mysql', url: env.databaseUrl, entities: [PeerGrant], poolSize: 16 }), TypeOrmModule.forFeature([PeerGrant])],
  controllers: [PeerGrantsController],
  providers: [PeerGrantsService],
})
export class PeerGrantsModule {}
