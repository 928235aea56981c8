import { DynamicModule, Module } from '@nestjs/common';
import { ChaosOptions } from '@app/chaos';
import { ConsumerServiceConfig } from '@app/config';
import { ConsumerServiceModule, GrantLedgerModule } from '@app/consumer-service';
import { CreateRedPackets1763700000400 } from './migrations/1763700000400-create-red-packets';
import { RedPacketAttemptHistory1763700000410 } from './migrations/1763700000410-red-packet-attempt-history';
import { RedPacket } from './red-packets/red-packet.entity';
import { RED_PACKET_CONSUMER } from './red-packets/red-packets.service';
import { RedPacketsModule } from './red-packets/red-packets.module';
import { IndexRedPacketsUser1763800000400 } from './migrations/1763800000400-index-red-packets-user';

@Module({})
export class RedPacketServiceModule {
  static register(config: ConsumerServiceConfig, chaos?: ChaosOptions): DynamicModule {
    return {
      module: RedPacketServiceModule,
      imports: [
        ConsumerServiceModule.forRoot(config, {
          serviceName: 'red-packet-service',
          consumer: RED_PACKET_CONSUMER,
          queue: 'red-packet-service.payment-succeeded',
          entities: [RedPacket],
          migrations: [CreateRedPackets1763700000400, RedPacketAttemptHistory1763700000410, IndexRedPacketsUser1763800000400],
        }, chaos),
        RedPacketsModule,
        GrantLedgerModule.register({ serviceName: 'red-packet-service', consumer: RED_PACKET_CONSUMER, grantTable: 'red_packets' }),
      ],
    };
  }
}
