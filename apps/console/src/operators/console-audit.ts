import { Injectable, Logger } from '@nestjs/common';

/** One line of the console's own trail, in the services' shape (`GET /operator-actions`). */
export interface ConsoleAuditEntry {
  at: string;
  operator: string;
  action: 'sign-in' | 'sign-in-failed' | 'sign-in-limited' | 'sign-out';
  target: string;
  comment: string | null;
  outcome: string;
}

const KEPT = 500;

/**
 * The console's side of the audit trail: sign-ins, failed and limited sign-ins, sign-outs. They
 * happen in the console, not on a service, so no service table can hold them in the action's
 * transaction; the console writes each as a structured log line (the durable record, shipped
 * with the other logs) and keeps the last 500 in memory for `GET /api/operator-actions`, which
 * merges them with the services' trails. A restart empties the memory, never the log.
 * Never logs a presented token, only its length.
 */
@Injectable()
export class ConsoleAudit {
  private readonly logger = new Logger('ConsoleAudit');
  private readonly entries: ConsoleAuditEntry[] = [];

  record(entry: Omit<ConsoleAuditEntry, 'at'>): void {
    const full = { at: new Date().toISOString(), ...entry };
    this.entries.unshift(full);
    this.entries.length = Math.min(this.entries.length, KEPT);
    const line = `${entry.action} ${entry.operator} from ${entry.target}: ${entry.outcome}`;
    if (entry.action === 'sign-in' || entry.action === 'sign-out') this.logger.log(line);
    else this.logger.warn(line);
  }

  /** Newest first. */
  list(limit: number): ConsoleAuditEntry[] {
    return this.entries.slice(0, limit);
  }
}
