import { Module } from '@nestjs/common';
import { PaymentSucceededHandler } from './payment-succeeded.handler';
import { RedPacketsController } from './red-packets.controller';
import { RedPacketsService } from './red-packets.service';

@Module({
  controllers: [RedPacketsController],
  providers: [RedPacketsService, PaymentSucceededHandler],
})
export class RedPacketsModule {}
