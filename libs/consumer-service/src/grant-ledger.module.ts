import { DynamicModule, Module } from '@nestjs/common';
import { GrantLedgerController } from './grant-ledger.controller';
import { GRANT_LEDGER_OPTIONS, GrantLedgerOptions, GrantLedgerService } from './grant-ledger.service';

/** The console's read side of a consumer service (grant counts, dead letters owed, timelines). */
@Module({})
export class GrantLedgerModule {
  static register(options: GrantLedgerOptions): DynamicModule {
    return {
      module: GrantLedgerModule,
      controllers: [GrantLedgerController],
      providers: [{ provide: GRANT_LEDGER_OPTIONS, useValue: options }, GrantLedgerService],
    };
  }
}
