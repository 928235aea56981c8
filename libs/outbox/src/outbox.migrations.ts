import { AddOutboxTraceparent1763700000600 } from './add-outbox-traceparent.migration';
import { CreateOutbox1763700000000 } from './create-outbox.migration';

/** Every migration the outbox's table needs, oldest first: add them to your DataSource's `migrations`. */
export const OUTBOX_MIGRATIONS = [CreateOutbox1763700000000, AddOutboxTraceparent1763700000600] as const;
