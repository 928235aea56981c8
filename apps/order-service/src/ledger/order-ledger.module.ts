import { Module } from '@nestjs/common';
import { OrderLedgerController } from './order-ledger.controller';
import { OrderLedgerService } from './order-ledger.service';

/** The console's read side of the order service (counts, timelines). */
@Module({ controllers: [OrderLedgerController], providers: [OrderLedgerService] })
export class OrderLedgerModule {}
