/**
 * The prose of docs/configuration.md, one entry per variable. Names, defaults, accepted values and
 * which service reads a variable come from the zod schemas in libs/config (config-reference.ts);
 * only the meaning is written here. The generator refuses a variable the schemas read without an
 * entry, and an entry no schema reads, so this file cannot drift from the code either.
 *
 * A key is a variable's name, or `<PREFIX>_NAME` for a variable each consumer service reads under
 * its own prefix (`COUPON_PORT`, `RED_PACKET_PORT`).
 */
export interface ConfigSection {
  title: string;
  intro?: string;
  variables: Record<string, string>;
}

export const CONFIG_SECTIONS: ConfigSection[] = [
  {
    title: 'Broker',
    variables: {
      RABBITMQ_URL:
        'The broker; or the nodes of a cluster, comma-separated (`amqp://u:p@r1:5672,amqp://u:p@r2:5672,…`): the first that answers is used, a lost connection or a failed attempt moves to the next (same backoff), and the topology is declared again on that node. `/health` names the node in use (`checks.broker.node`, host:port). `amqps://` is accepted. The console reads queue depths through it',
      AMQP_NAME_PREFIX: 'Prefix for every exchange and queue name (tests use a unique one; a new prefix is how a deployment moves to new queue names)',
      AMQP_QUEUE_TYPE:
        "`quorum` on a cluster, `classic` on one node (see [Limits](guarantees.md#limits-what-is-not-guaranteed)). A queue's type cannot change in place: switching an existing deployment needs new queue names (`AMQP_NAME_PREFIX`)",
      AMQP_CONFIRM_TIMEOUT: 'A publish without a confirm by then counts as failed (the wait for room in a full channel counts against it too)',
    },
  },
  {
    title: 'HTTP',
    variables: {
      ORDER_PORT: "The order service's HTTP port",
      '<PREFIX>_PORT': "The consumer service's HTTP port",
      CONSOLE_PORT: "The console's HTTP port",
      HOST: 'Listen address of every service and the console (the log names the address really bound); the image and compose set `0.0.0.0`',
      HTTP_REQUEST_TIMEOUT:
        'A request whose headers and body are not all in by then is answered 408 and closed (Fastify `requestTimeout`; checked every quarter of the shortest time-out, at most 1 s)',
      HTTP_HEADERS_TIMEOUT: 'The same for the headers alone (Node `headersTimeout`); must not be longer than `HTTP_REQUEST_TIMEOUT`',
      HTTP_KEEP_ALIVE_TIMEOUT:
        "An idle keep-alive connection is closed after this (Fastify's own default: longer than the usual 60 s of a load balancer or client pool, so the client side closes first; at 5 s, 2,000 concurrent creates saw connections closed under them in `test/hung-database.e2e-spec.ts`)",
      HTTP_CONNECTION_TIMEOUT: 'A socket with no traffic at all for this long is destroyed (Fastify `connectionTimeout`)',
    },
  },
  {
    title: 'Operators',
    intro: "Operator routes, the console's sign-in and the audit trail: see [Security](security.md).",
    variables: {
      OPERATOR_TOKEN:
        'The operator secret, at least 16 characters (the services also require at most 256, printable ASCII without spaces). On the services every operator route needs `Authorization: Bearer <token>`, and unset means the operator API is disabled (403: fail closed); it is the operator named `operator` in the audit trail. On the console it is the token an operator signs in with, also sent to the services for actions; unset, the console is read-only (actions 403). `CHAOS_TOKEN` / `X-Chaos-Token` are gone',
      OPERATOR_TOKENS:
        'Coupon and red-packet services: named operators, `alice:<token>,bob:<token>` (names of letters, digits, `_.-`, at most 32; each token 16–256 printable characters, no commas; names and tokens unique), accepted beside `OPERATOR_TOKEN`. The name is what the audit trail (`GET /operator-actions`) and the action log record; tokens are compared in constant time, each of them every time',
      CHAOS_ENABLED:
        'Put an in-process TCP fault proxy between the consumer service and its database and serve `/chaos` (operator routes; the service refuses to start without `OPERATOR_TOKEN` or `OPERATOR_TOKENS`)',
    },
  },
  {
    title: 'Databases',
    intro:
      'Each service owns its database: created if missing, migrated at start (one instance at a time: a `GET_LOCK` named after the database). URLs are `mysql://user:password@host:port/database`; the password is never logged.',
    variables: {
      ORDER_DB_URL: 'Order database (the runtime account: row rights are enough when a migration URL is given)',
      '<PREFIX>_DB_URL': "The consumer service's database",
      ORDER_DB_MIGRATION_URL:
        'Account with DDL rights, used only at start to create the database if missing and run migrations, then closed; must name the same host, port and database as `ORDER_DB_URL`. Unset: `ORDER_DB_URL` is used',
      '<PREFIX>_DB_MIGRATION_URL': 'The same for the consumer service (unset: its `*_DB_URL`)',
      ORDER_DB_POOL_SIZE: 'Connection pool size',
      '<PREFIX>_DB_POOL_SIZE': 'Connection pool size',
      ORDER_DB_QUERY_TIMEOUT:
        'A statement without an answer by then fails (a hung database answers every caller; HTTP 503) and its connection is dropped; `0` = no time-out',
      '<PREFIX>_DB_QUERY_TIMEOUT': 'The same for the consumer service (a consumer counts it as a transient failure)',
      ORDER_DB_POOL_QUEUE_LIMIT: 'Most callers waiting for a free pool connection; past it the pool refuses at once (`DB_POOL_QUEUE_FULL`, 503)',
      '<PREFIX>_DB_POOL_QUEUE_LIMIT': 'The same for the consumer service (a consumer pauses)',
    },
  },
  {
    title: 'Order service and outbox',
    variables: {
      ORDER_BATCH_SIZE: 'Most create / pay requests committed together in one transaction (group commit); `1` = one transaction each',
      ORDER_QUEUE_LIMIT: 'Most create (and, apart, pay) requests waiting for a group commit; past it 503 at once (`DB_QUEUE_FULL`)',
      ORDER_IDEMPOTENCY_KEY_RETENTION:
        'How long an `Idempotency-Key` of `POST /orders` is remembered; expired keys are deleted in chunks every `OUTBOX_CLEANUP_INTERVAL`',
      OUTBOX_POLL_INTERVAL: "The relay's safety-net poll (the wake-up after commit is the fast path)",
      OUTBOX_BATCH_SIZE: 'Rows claimed and published (confirms in flight) per relay transaction',
      OUTBOX_RELAY_CONCURRENCY:
        'Most claim-publish-mark loops side by side while there is a backlog (helpers join while batches come back full; `SKIP LOCKED` keeps their rows apart)',
      OUTBOX_BACKOFF_MAX: 'Cap of the per-row backoff (1 s, 2 s, 4 s, …); rows are never given up on',
      OUTBOX_STUCK_AFTER: 'A row pending longer than this is flagged in the logs and in `/health`',
      OUTBOX_RETENTION: 'Sent rows are deleted after this',
      OUTBOX_CLEANUP_INTERVAL: 'How often sent rows past retention (and expired idempotency keys) are deleted, in chunks',
    },
  },
  {
    title: 'Consumers and the retry ladder',
    intro: 'How a failed message moves: [Architecture](architecture.md#retry-ladder-and-dead-letters).',
    variables: {
      RETRY_LADDER: "Delay of each retry level, comma-separated (the seeds' 16 steps; each 100 ms to 24 h, at most 32 levels)",
      '<PREFIX>_RETRY_LADDER': "This service's own ladder, instead of `RETRY_LADDER`",
      '<PREFIX>_PREFETCH': 'Unacknowledged messages per consumer (several commit groups in flight: see `*_BATCH_SIZE`)',
      '<PREFIX>_BATCH_SIZE': 'Most messages of one consumer committed together in one transaction (group commit); `1` = one transaction each',
      PAUSE_ON_DEPENDENCY_DOWN:
        'Pause consuming while the database is unreachable, instead of burning the ladder ([Architecture](architecture.md#dependency-down-pause-rather-than-hammer))',
      HANDLER_TIMEOUT: 'A handler still running after this is a transient (dependency-down) failure, e.g. a hung database',
      MAX_MESSAGE_BYTES:
        "Larger bodies are poison, moved to the DLQ cut to 4 KiB with their `original-size`; keep the broker's `max_message_size` (`deploy/rabbitmq/rabbitmq.conf`) equal",
      INBOX_RETENTION:
        'Processed message ids (the dedupe record) older than this are deleted; must be longer than the whole ladder plus `DEAD_LETTER_REDRIVE_INTERVAL` (checked at start: [Operations](operations.md#retention))',
      RETENTION_CLEANUP_INTERVAL: 'How often inbox rows and re-driven letters past retention are deleted (in chunks)',
    },
  },
  {
    title: 'Dead letters and alerts',
    intro: 'Inspecting, re-driving and discarding letters: [Operations](operations.md#dead-letters).',
    variables: {
      DEAD_LETTER_REDRIVE_INTERVAL: 'Automatic re-drive of letters whose retries ran out (e.g. `5m`); `0` = off. Poison always waits for an operator',
      DEAD_LETTER_RETENTION: '`REDRIVEN` dead letters older than this (since their re-drive) are deleted; `PENDING` ones never are',
      ALERT_WEBHOOK_URL: 'POSTed a JSON alert for each stored dead letter (rate-limited; a failed call is retried 3 times with back-off)',
      ALERT_WEBHOOK_SECRET: 'Signs each webhook alert: `X-Alert-Signature: sha256=<HMAC-SHA256 of "<X-Alert-Timestamp>.<body>">`',
      ALERT_BURST: 'Alerts let out per `ALERT_WINDOW`; the rest are counted and sent as one summary when the window ends',
      ALERT_WINDOW: 'The window of `ALERT_BURST`',
    },
  },
  {
    title: 'Signed events',
    intro: 'For a broker user shared by everyone: [Security](security.md#what-is-guarded-and-how).',
    variables: {
      EVENT_SIGNING_KEYS:
        "`kid1:secret1,kid2:secret2` (key ids `[a-z0-9-]{1,32}`, unique; each secret ≥ 32 characters; a bad entry is named by its position, never quoted). On a consumer service, set = every event must carry a valid `signature` by one of these keys, else it is dead-lettered at attempt 1 (`SIGNATURE_MISSING`, `SIGNATURE_UNKNOWN_KEY`, `SIGNATURE_INVALID`). Rotation: give consumers old and new key, switch the order service's `EVENT_SIGNING_KEY_ID`, then drop the old key once its events have drained",
      EVENT_SIGNING_KEY_ID:
        "The key a service signs with; one of `EVENT_SIGNING_KEYS`. Order service: required when the keys are set; every published event gets `signature-key-id` and `signature` = HMAC-SHA256 (base64url) of `<messageId>\\n<body bytes>`. Consumer service: optional, only to re-sign an operator's edited dead letter (without it, edit-and-redrive answers 409 while signing is on)",
    },
  },
  {
    title: 'Console',
    intro: 'The console: [docs/console.md](console.md).',
    variables: {
      ORDER_URL: 'Where the console reaches the order service',
      COUPON_URL: 'Where the console reaches the coupon service',
      RED_PACKET_URL: 'Where the console reaches the red-packet service',
      CONSOLE_POLL_INTERVAL: 'One snapshot of every source per interval, shared by all viewers',
      CONSOLE_TRUST_PROXY:
        '`true` when a TLS-terminating proxy sits in front of the console: its `X-Forwarded-Proto: https` then marks the session cookie `Secure` (served over HTTPS directly, it always is)',
    },
  },
  {
    title: 'Logs, metrics and traces',
    intro: 'What they contain: [Observability](observability.md).',
    variables: {
      LOG_LEVEL: 'That level and every more severe one is logged',
      LOG_FORMAT:
        "`json`: one JSON object per line (`level`, `time`, `msg`, `service`, `context`, and for a message `messageId`, `queue`, `attempt`, `orderId`, `traceId`); `pretty`: Nest's coloured text",
      METRICS_ENABLED: 'Serve `GET /metrics` and feed it; `false` removes both',
      OTEL_SERVICE_NAME: 'Service name on traces, log lines and metrics (`service` label); a consumer service defaults to its consumer name',
      OTEL_SDK_DISABLED: '`true` keeps tracing off even with an endpoint',
      OTEL_EXPORTER_OTLP_ENDPOINT:
        'OTLP/HTTP collector base URL (`/v1/traces` is appended), e.g. `http://jaeger:4318`; unset (and no traces endpoint): tracing off',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'Full traces URL, used as given (wins over the base URL)',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'Only `http/json` is shipped; anything else stops the service naming the variable',
      OTEL_EXPORTER_OTLP_HEADERS: "`key=value,…` (values URL-encoded) sent with every export, e.g. a vendor's API key; never logged",
      OTEL_TRACES_SAMPLER: 'Which traces are recorded; `parentbased_traceidratio` with `OTEL_TRACES_SAMPLER_ARG=0.1` keeps a tenth of whole traces',
      OTEL_TRACES_SAMPLER_ARG: 'The ratio of the `traceidratio` samplers',
      OTEL_NODE_ENABLED_INSTRUMENTATIONS:
        '`mysql2` adds a span per SQL statement (the compose demo sets it; off by default for its cost: [Performance](performance.md#cost-of-metrics-and-tracing))',
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'Wins over the enabled list',
    },
  },
  {
    title: 'Tests only',
    variables: {
      TEST_CRASH_AT:
        '`<point>[:<n>][:throw]` arms one fault point (`@reliable-payments/faults`): SIGKILL the process the n-th time it passes there, or with `:throw` throw there from the n-th time on (in-process tests); see [Reliability](reliability.md#crash-points)',
    },
  },
];

/** Variables read by something other than the validated config (the SDK, the tests, the tools): listed, not generated. */
export const OTHER_VARIABLES: Record<string, string> = {
  'OTEL_BSP_MAX_QUEUE_SIZE, OTEL_BSP_MAX_EXPORT_BATCH_SIZE, OTEL_BSP_SCHEDULE_DELAY':
    "OpenTelemetry's batch span processor (defaults `2048`, `512`, `5000` ms): spans past a full queue are dropped, so raise the queue with SQL statement spans under load. Read by the SDK, not by this project's validation: a malformed value is ignored (the default applies) rather than stopping the service",
  TEST_MYSQL_URL:
    "Tests, suites and bench: the MySQL/MariaDB account that creates and drops each run's databases (default `mysql://root@127.0.0.1:3306`; `tools/harness/test-servers.ts`)",
  'TEST_AMQP_QUEUE_TYPE, TEST_RABBITMQCTL':
    'Tests: the queue type of a matrix cell, and the `rabbitmqctl` command that reaches the test broker (`scripts/containers/test-servers.sh up` prints them)',
  TEST_LOG_LEVELS: 'Tests: the service log levels to show, e.g. `TEST_LOG_LEVELS=error,warn npm test`',
  SERVICE_NODE_ARGS: 'Suites and bench: extra Node.js arguments for the service processes, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`',
  'SCENARIO_ORDERS, SCENARIO_RATE, SCENARIO_OUTAGE_AFTER, SCENARIO_OUTAGE_SECONDS, SCENARIO_TIMEOUT_SECONDS':
    '`npm run demo:scenario`: how many orders, at what rate, when the coupon database goes down and for how long, and when to give up ([Demo](demo.md))',
};
