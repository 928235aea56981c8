import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { trace } from '@opentelemetry/api';

export interface ServiceLoggerOptions {
  service: string;
  format: 'json' | 'pretty';
  logLevels?: LogLevel[];
}

/** Keys masked wherever they appear in structured params (the URL masking of config stays as it is). */
const SECRET_KEYS = ['password', 'authorization', 'cookie', 'token', 'operatorToken', 'secret'];

/**
 * Nest's own ConsoleLogger, one JSON object per line when `format` is `json`: `level`, `time`,
 * `msg`, `service`, `context`, then the structured params a line was given (for a message:
 * `messageId`, `orderId`, `queue`, `attempt`) and the active trace's `traceId`. Only the record's
 * key names differ from Nest's JSON output, to match what log pipelines expect (`msg`, `time`).
 * `pretty` is Nest's coloured text, with the same params appended.
 */
export class ServiceLogger extends ConsoleLogger {
  constructor(private readonly settings: ServiceLoggerOptions) {
    super({
      json: settings.format === 'json',
      flattenParams: true,
      redact: SECRET_KEYS,
      logLevels: settings.logLevels ?? ['fatal', 'error', 'warn', 'log'],
    });
  }

  /** Reshapes Nest's record (compact JSON mode: one line) just before it is written. */
  protected override stringifyJsonLogObject(logObject: Record<string, unknown>): string {
    const { level, timestamp, message: msg, context, ...rest } = logObject;
    delete rest.pid; // the same on every line of a process
    const record: Record<string, unknown> = { level, time: new Date(timestamp as number).toISOString(), msg, service: this.settings.service, context, ...rest };
    if (record.traceId === undefined) {
      const span = trace.getActiveSpan()?.spanContext();
      if (span && trace.isSpanContextValid(span)) record.traceId = span.traceId;
    }
    return super.stringifyJsonLogObject(record);
  }
}
