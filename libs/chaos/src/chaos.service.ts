import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { CHAOS_OPTIONS, ChaosOptions } from './chaos.options';
import { FaultMode } from './fault-proxy';

export interface DatabaseFault {
  mode: Exclude<FaultMode, 'up'>;
  latencyMs?: number;
  durationSeconds?: number;
}

export interface ChaosState {
  enabled: boolean;
  database: { mode: FaultMode; latencyMs: number; since: string | null; healsAt: string | null; connections: number };
}

/** Injects and heals database faults through the service's own TCP fault proxy. */
@Injectable()
export class ChaosService implements OnApplicationShutdown {
  private readonly logger = new Logger('Chaos');
  private healTimer?: NodeJS.Timeout;
  private since: Date | null = null;
  private healsAt: Date | null = null;

  constructor(@Inject(CHAOS_OPTIONS) private readonly options: ChaosOptions) {}

  state(): ChaosState {
    const proxy = this.options.databaseProxy?.state ?? { mode: 'up' as const, latencyMs: 0, connections: 0 };
    return {
      enabled: this.options.enabled,
      database: { ...proxy, since: this.since?.toISOString() ?? null, healsAt: this.healsAt?.toISOString() ?? null },
    };
  }

  injectDatabaseFault(fault: DatabaseFault): ChaosState {
    const proxy = this.requireProxy();
    clearTimeout(this.healTimer);
    proxy.setMode(fault.mode, fault.latencyMs ?? 0);
    this.since = new Date();
    this.healsAt = fault.durationSeconds ? new Date(Date.now() + fault.durationSeconds * 1000) : null;
    if (fault.durationSeconds) this.healTimer = setTimeout(() => this.heal('duration elapsed'), fault.durationSeconds * 1000);
    this.logger.warn(`database fault injected: ${JSON.stringify(fault)}`);
    return this.state();
  }

  heal(why = 'requested'): ChaosState {
    const proxy = this.requireProxy();
    clearTimeout(this.healTimer);
    proxy.setMode('up');
    this.since = null;
    this.healsAt = null;
    this.logger.warn(`database fault healed (${why})`);
    return this.state();
  }

  private requireProxy() {
    if (!this.options.databaseProxy) throw new Error('chaos is disabled');
    return this.options.databaseProxy;
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.healTimer);
    await this.options.databaseProxy?.stop();
  }
}
