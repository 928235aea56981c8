import { CreateOperatorActions1765100000300 } from './create-operator-actions.migration';
import { OperatorAction } from './operator-action.entity';

/** The operator audit log's migrations and entities: add them to your DataSource when you import OperatorAuditModule. */
export const OPERATOR_AUDIT_MIGRATIONS = [CreateOperatorActions1765100000300] as const;
export const OPERATOR_AUDIT_ENTITIES = [OperatorAction] as const;
