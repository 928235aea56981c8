/**
 * @reliable-payments/messaging — reliable messaging on RabbitMQ (amqplib), the library owning every ack decision.
 *
 * Promises: a publish resolves only when the broker confirmed it and did not return it
 * (`publishing/`); the whole topology (exchanges, queues, retry levels, dead-letter queues) is
 * derived from declared consumers by one pure function and asserted on every (re)connect
 * (`topology/`); a consumer acks a message only after its handler's work committed or after the
 * confirmed publish that moved it to a retry level or the dead-letter queue (`consumer/`), and
 * failures are routed by a retry policy given as a value (`retry/`); connections recover by
 * themselves, over a list of broker nodes (`connection/`).
 */
// Errors with stable codes: what handlers throw, what classifiers return.
export * from './errors';
// The retry ladder: policy, router, the headers a failed message carries.
export * from './retry/retry-policy';
export * from './retry/failure-router';
export * from './retry/failure-headers';
export * from './retry/attempt-history';
export * from './retry/recorded-attempts';
export * from './retry/bounded-body';
// Signed events: HMAC headers the publisher adds and the decoder checks.
export * from './signing/event-signature';
// Broker topology, pure; queue names from consumer names.
export * from './topology/topology';
export * from './topology/consumer-queue';
// Publishing with confirms and `mandatory`; what other libraries publish through.
export * from './publishing/publisher';
export * from './publishing/confirmed-publisher';
// Connection with recovery over a node list.
export * from './connection/amqp-connection';
export * from './connection/broker-endpoints';
// Consuming: the consumer, its decoding, metrics and log fields.
export * from './consumer/message-consumer';
export * from './consumer/event-decoder';
export * from './consumer/consumer-metrics';
export * from './consumer/message-log-fields';
// Nest wiring: module, service, decorators, options.
export * from './consume.decorator';
export * from './messaging.options';
export * from './messaging.service';
export * from './messaging.module';
