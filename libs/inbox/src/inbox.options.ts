export const INBOX_OPTIONS = Symbol('INBOX_OPTIONS');

export interface InboxOptions {
  /** Most messages of one consumer committed in one transaction; 1 gives each message its own. */
  batchSize: number;
  /** INBOX_RETENTION: processed ids older than this are deleted; unset keeps them for ever. */
  retentionMs?: number;
  cleanupIntervalMs?: number;
}
