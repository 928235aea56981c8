import { CreateInbox1763700000100 } from './create-inbox.migration';
import { IndexInboxProcessedAt1763800000100 } from './index-inbox-processed-at.migration';

/** Every migration the inbox's table needs, oldest first: add them to your DataSource's `migrations`. */
export const INBOX_MIGRATIONS = [CreateInbox1763700000100, IndexInboxProcessedAt1763800000100] as const;
