import { Global, Module } from '@nestjs/common';
import { OperatorActionsController } from './operator-actions.controller';
import { OperatorActions } from './operator-actions.service';

/** The operator audit trail (table `operator_actions`, its migration exported beside it) and GET /operator-actions. */
@Global()
@Module({ controllers: [OperatorActionsController], providers: [OperatorActions], exports: [OperatorActions] })
export class OperatorAuditModule {}
