import { z } from 'zod';
import { amqpUrl, namePrefix, queueType } from './env';
import { duration } from './schema-parts';

const DEFAULT_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

export const brokerShape = {
  RABBITMQ_URL: amqpUrl(DEFAULT_AMQP_URL),
  AMQP_NAME_PREFIX: namePrefix,
  AMQP_QUEUE_TYPE: queueType,
  AMQP_CONFIRM_TIMEOUT: duration('10s', 100),
};

export interface BrokerConfig {
  /** One broker URL, or several comma-separated (a cluster's nodes). */
  url: string;
  namePrefix: string;
  queueType: 'classic' | 'quorum';
  confirmTimeoutMs: number;
}

export function brokerConfig(env: z.infer<z.ZodObject<typeof brokerShape>>): BrokerConfig {
  return { url: env.RABBITMQ_URL, namePrefix: env.AMQP_NAME_PREFIX, queueType: env.AMQP_QUEUE_TYPE, confirmTimeoutMs: env.AMQP_CONFIRM_TIMEOUT };
}

/** What bounds a caller's wait on a hung or overloaded database. */
export interface DatabaseLimits {
  /** Every statement fails after this; 0 = no time-out. */
  queryTimeoutMs: number;
  /** Most callers waiting for a free pool connection; past it the pool refuses at once. */
  poolQueueLimit: number;
}
