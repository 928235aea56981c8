import { MessagePropertyHeaders } from 'amqplib';

/** Header on a moved message whose body was cut: the size it arrived with, in bytes. */
export const ORIGINAL_SIZE_HEADER = 'original-size';
/** Header on a moved message whose body was cut: `'true'`. */
export const BODY_TRUNCATED_HEADER = 'body-truncated';
/** What is kept of an oversized body: enough to tell what it was, never the whole. */
export const TRUNCATED_BODY_BYTES = 4096;

/**
 * The body a failed message is moved with. A body over the consumer's limit (poison,
 * `MESSAGE_TOO_LARGE`) is cut to its first `TRUNCATED_BODY_BYTES` and the headers say so and give
 * the original size: republishing it whole would copy it into the DLQ and have the dead-letter
 * handler read it again (issue 20: five 10 MB messages took a consumer from 172 to 309 MB RSS).
 */
export function boundedBody(content: Buffer, maxBytes: number | undefined, headers: MessagePropertyHeaders): Buffer {
  if (maxBytes === undefined || content.length <= maxBytes) return content;
  headers[ORIGINAL_SIZE_HEADER] = content.length;
  headers[BODY_TRUNCATED_HEADER] = 'true';
  return content.subarray(0, Math.min(TRUNCATED_BODY_BYTES, maxBytes));
}
