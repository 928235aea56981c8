import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ChaosOptions } from '@reliable-payments/chaos';
import { ConsumerServiceConfig } from '@reliable-payments/config';
import { ConsumerServiceModule, GrantLedgerModule } from '@reliable-payments/consumer-service';
import { RED_PACKET_CONSUMER } from '@reliable-payments/contracts';
import { CreateRedPackets1763700000400 } from './migrations/1763700000400-create-red-packets';
import { RedPacketAttemptHistory1763700000410 } from './migrations/1763700000410-red-packet-attempt-history';
import { IndexRedPacketsUser1763800000400 } from './migrations/1763800000400-index-red-packets-user';
import { RedPacketInboxConsumerName1764000000400 } from './migrations/1764000000400-red-packet-inbox-consumer-name';
import { RedPacket } from './red-packets/red-packet.entity';
import { RedPacketsModule } from './red-packets/red-packets.module';

@Module({})
export class RedPacketServiceModule {
  static register(config: ConsumerServiceConfig, chaos?: ChaosOptions): DynamicModule {
    return {
      module: RedPacketServiceModule,
      imports: [
        // Once per application: the dead-letter re-drive jobs and retention run on it.
        ScheduleModule.forRoot(),
        ConsumerServiceModule.forRoot(
          config,
          {
            consumer: RED_PACKET_CONSUMER,
            entities: [RedPacket],
            migrations: [
              CreateRedPackets1763700000400,
              RedPacketAttemptHistory1763700000410,
              IndexRedPacketsUser1763800000400,
              RedPacketInboxConsumerName1764000000400,
            ],
          },
          chaos,
        ),
        RedPacketsModule,
        GrantLedgerModule.register({ consumer: RED_PACKET_CONSUMER.name, grantTable: 'red_packets' }),
      ],
    };
  }
}
