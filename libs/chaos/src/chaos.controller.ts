import { Body, CanActivate, Controller, Delete, ForbiddenException, Get, HttpCode, Inject, Injectable, Optional, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { OperatorActions, OperatorGuard, OperatorName, ZodValidationPipe } from '@reliable-payments/http';
import { CHAOS_OPTIONS, ChaosOptions } from './chaos.options';
import { ChaosService } from './chaos.service';

/** Chaos is refused unless the service was started with CHAOS_ENABLED=true (after the operator check). */
@Injectable()
export class ChaosEnabledGuard implements CanActivate {
  constructor(@Inject(CHAOS_OPTIONS) private readonly options: ChaosOptions) {}

  canActivate(): boolean {
    if (!this.options.enabled) throw new ForbiddenException('chaos is disabled; start the service with CHAOS_ENABLED=true');
    return true;
  }
}

const faultSchema = z.strictObject({
  mode: z.enum(['down', 'hang', 'slow'], { message: 'must be "down", "hang" or "slow"' }),
  latencyMs: z.number({ message: 'must be a number' }).int('must be whole milliseconds').min(0).max(60_000).optional(),
  durationSeconds: z.number({ message: 'must be a number' }).int('must be whole seconds').positive('must be positive').max(86_400).optional(),
});

/** Operator routes: the token first, so an unauthenticated caller learns nothing about chaos. */
@Controller('chaos')
@UseGuards(OperatorGuard, ChaosEnabledGuard)
export class ChaosController {
  constructor(
    private readonly chaos: ChaosService,
    @Optional() private readonly actions?: OperatorActions,
  ) {}

  @Get()
  state() {
    return this.chaos.state();
  }

  /** `{mode: "down" | "hang" | "slow", latencyMs?, durationSeconds?}`; `slow` defaults to 500 ms. */
  @Post('db')
  @HttpCode(200)
  async inject(@Body(new ZodValidationPipe(faultSchema)) fault: z.infer<typeof faultSchema>, @OperatorName() operator: string) {
    // Written before the fault, which lives in this process and may break the very database the trail is in.
    await this.actions?.record(undefined, { operator, action: 'chaos-on', target: 'database', outcome: `injected ${JSON.stringify(fault)}` });
    return this.chaos.injectDatabaseFault({ ...fault, latencyMs: fault.mode === 'slow' ? (fault.latencyMs ?? 500) : undefined });
  }

  @Delete('db')
  async heal(@OperatorName() operator: string) {
    const state = this.chaos.heal();
    await this.actions?.record(undefined, { operator, action: 'chaos-off', target: 'database', outcome: 'healed' });
    return state;
  }
}
